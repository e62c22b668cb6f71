package io.tenantry.client;

import static io.tenantry.client.internal.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import io.tenantry.api.ValidationException;
import io.tenantry.client.internal.Backoff;
import io.tenantry.client.internal.GovernedHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The governed client against real JDK HTTP servers, with the instance list given directly (no control plane). */
class GovernedHttpTest {
  private final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, List<Instance>> registry = new ConcurrentHashMap<>();
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CopyOnWriteArrayList<CallAttempt> attempts = new CopyOnWriteArrayList<>();
  private final GovernedHttp http = new GovernedHttp(jdk, s -> registry.getOrDefault(s, List.of()),
      t -> Optional.ofNullable(tenants.get(t)), LoadBalancer.roundRobin(), "order",
      new Backoff(Duration.ofMillis(25), Duration.ofSeconds(1)));

  GovernedHttpTest() {
    http.addObserver(attempts::add);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private TestInstance server(String id) throws IOException {
    TestInstance t = new TestInstance(id);
    closeables.add(t);
    return t;
  }

  private void register(String service, Instance... instances) {
    registry.put(service, List.of(instances));
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).GET().build();
  }

  private static HttpRequest post(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
  }

  @Test
  void send_rewritesTheLogicalUri_andSetsTenantryHeaders() throws Exception {
    TestInstance a = server("a");
    register("payment", a.instance("payment", null));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://payment/pay/now?x=1&y=%20"))
        .header("baggage", "userId=alice,tenant.id=spoofed").header("X-Custom", "kept").GET().build();
    HttpResponse<String> r;
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    }
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("a");
    TestInstance.Seen s = a.seen().get(0);
    assertThat(s.path()).isEqualTo("/pay/now");
    assertThat(s.query()).isEqualTo("x=1&y=%20");
    assertThat(s.header("X-Tenant-Id")).isEqualTo("globex");
    assertThat(s.header("baggage")).isEqualTo("tenant.id=globex,userId=alice");
    assertThat(s.header("X-Tenantry-Caller")).isEqualTo("order");
    assertThat(s.header("X-Tenantry-Attempt")).isEqualTo("1");
    assertThat(s.header("X-Custom")).isEqualTo("kept");
    assertThat(s.tenant()).isEqualTo("globex");
    assertThat(attempts).singleElement().satisfies(at -> {
      assertThat(at.service()).isEqualTo("payment");
      assertThat(at.tenant()).isEqualTo("globex");
      assertThat(at.outcome()).isEqualTo(CallOutcome.SUCCESS);
      assertThat(at.status()).isEqualTo(200);
      assertThat(at.willRetry()).isFalse();
      assertThat(at.failover()).isFalse();
    });
  }

  @Test
  void send_withoutTenant_sendsNoTenantHeaders_andKeepsBaggage() throws Exception {
    TestInstance a = server("a");
    register("payment", a.instance("payment", null));
    http.send(HttpRequest.newBuilder(URI.create("http://payment/")).header("baggage", "k=v").build(),
        HttpResponse.BodyHandlers.discarding());
    TestInstance.Seen s = a.seen().get(0);
    assertThat(s.header("X-Tenant-Id")).isNull();
    assertThat(s.header("baggage")).isEqualTo("k=v");
    assertThat(s.tenant()).isNull();
  }

  @Test
  void get_503_failsOverToAnotherInstance() throws Exception {
    TestInstance bad = server("a").answer(503);
    TestInstance good = server("b");
    register("payment", bad.instance("payment", null), good.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(bad.count()).isEqualTo(1);
    assertThat(good.count()).isEqualTo(1);
    assertThat(good.seen().get(0).header("X-Tenantry-Attempt")).isEqualTo("2");
    assertThat(attempts).extracting(CallAttempt::outcome).containsExactly(CallOutcome.HTTP_ERROR, CallOutcome.SUCCESS);
    assertThat(attempts).extracting(CallAttempt::willRetry).containsExactly(true, false);
    assertThat(attempts).extracting(CallAttempt::failover).containsExactly(false, true);
    assertThat(attempts).extracting(CallAttempt::attempt).containsExactly(1, 2);
  }

  @Test
  void post_503_isNotRetried_unlessRetryable() throws Exception {
    TestInstance bad = server("a").answer(503);
    TestInstance good = server("b");
    register("payment", bad.instance("payment", null), good.instance("payment", null));
    HttpResponse<String> r = http.send(post("http://payment/pay"), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("a");
    assertThat(good.count()).isZero();

    HttpResponse<String> retried = http.send(post("http://payment/pay"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(true));
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(good.count()).isEqualTo(1);
  }

  @Test
  void status500_isRetriedOnlyWhenRetryableWasSetExplicitly() throws Exception {
    TestInstance bad = server("a").answer(500);
    TestInstance good = server("b");
    register("payment", bad.instance("payment", null), good.instance("payment", null));
    assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(500);
    assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(true)).statusCode()).isEqualTo(200);
  }

  @Test
  void status429_isNeverRetried() throws Exception {
    TestInstance busy = server("a").answer(429);
    TestInstance other = server("b");
    register("payment", busy.instance("payment", null), other.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(true));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(other.count()).isZero();
  }

  @Test
  void retryableFalse_neverRetries() throws Exception {
    TestInstance bad = server("a").answer(503);
    TestInstance good = server("b");
    register("payment", bad.instance("payment", null), good.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(false));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(good.count()).isZero();
  }

  @Test
  void attempts_areBounded_andTheLastResponseIsReturned() throws Exception {
    TestInstance a = server("a").answer(503);
    TestInstance b = server("b").answer(503);
    register("payment", a.instance("payment", null), b.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().maxAttempts(4));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isNotNull();
    assertThat(a.count() + b.count()).isEqualTo(4);
    assertThat(attempts).hasSize(4);
    assertThat(attempts.get(3).willRetry()).isFalse();
  }

  @Test
  void refusedConnection_failsOverEvenForPost() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    Instance dead = new Instance("shop", "payment", "dead", "127.0.0.1", deadPort, "v1", "zone-a", 100,
        InstanceStatus.UP, Map.of(), null, 30, 1);
    TestInstance good = server("good");
    register("payment", dead, good.instance("payment", null));
    HttpResponse<String> r = http.send(post("http://payment/pay"), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(attempts).extracting(CallAttempt::outcome).containsExactly(CallOutcome.CONNECT_FAILURE,
        CallOutcome.SUCCESS);
  }

  @Test
  void refusedConnection_isNotTriedAgainInTheSameCall_whenAnotherInstanceCanStillAnswer() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    Instance dead = new Instance("shop", "payment", "dead", "127.0.0.1", deadPort, "v1", "zone-a", 100,
        InstanceStatus.UP, Map.of(), null, 30, 1);
    TestInstance flaky = server("flaky").answer(503);
    register("payment", dead, flaky.instance("payment", null));
    HttpResponse<String> r = http.send(post("http://payment/pay"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(true).maxAttempts(5));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(attempts).hasSize(5);
    assertThat(attempts).filteredOn(a -> a.instance().id().equals("dead")).hasSizeLessThanOrEqualTo(1);
    assertThat(flaky.count()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void timeout_isRetriedForGet_andReportedAsTimeout() throws Exception {
    TestInstance slow = server("a").holdAnswers();
    TestInstance fast = server("b");
    register("payment", slow.instance("payment", null), fast.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().timeout(Duration.ofMillis(300)));
    assertThat(r.body()).isEqualTo("b");
    assertThat(attempts.get(0).outcome()).isEqualTo(CallOutcome.TIMEOUT);
    assertThat(attempts.get(0).latency()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void requestTimeout_appliesUnlessOptionsSetOne() throws Exception {
    TestInstance slow = server("a").holdAnswers();
    register("payment", slow.instance("payment", null));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://payment/x")).timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().retryable(false))).isInstanceOf(HttpTimeoutException.class);
    assertThat(CallOptions.defaults().timeoutFor(req)).isEqualTo(Duration.ofMillis(200));
    assertThat(CallOptions.defaults().timeout(Duration.ofSeconds(1)).timeoutFor(req)).isEqualTo(Duration.ofSeconds(1));
    assertThat(CallOptions.defaults().timeoutFor(get("http://payment/x"))).isEqualTo(CallOptions.DEFAULT_TIMEOUT);
  }

  @Test
  void timeout_onTheLastAttempt_throws() throws Exception {
    TestInstance slow = server("a").holdAnswers();
    register("payment", slow.instance("payment", null));
    assertThatThrownBy(() -> http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
        CallOptions.defaults().timeout(Duration.ofMillis(200)).maxAttempts(2)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(attempts).extracting(CallAttempt::outcome).containsExactly(CallOutcome.TIMEOUT, CallOutcome.TIMEOUT);
  }

  @Test
  void instanceDyingMidCall_isRetriedElsewhere() throws Exception {
    ServerSocket dying = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    closeables.add(dying);
    Thread t = new Thread(() -> {
      try (Socket s = dying.accept()) {
        InputStream in = s.getInputStream();
        in.read(new byte[1024]); // got (part of) the request, then the process "dies"
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".getBytes());
        out.flush();
      } catch (IOException ignored) {
        // the test closes the socket
      }
    });
    t.setDaemon(true);
    t.start();
    Instance dead = new Instance("shop", "payment", "dying", "127.0.0.1", dying.getLocalPort(), "v1", "zone-a", 100,
        InstanceStatus.UP, Map.of(), null, 30, 1);
    TestInstance good = server("good");
    register("payment", dead, good.instance("payment", null));
    HttpResponse<String> r = http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("good");
    assertThat(attempts.get(0).outcome()).isEqualTo(CallOutcome.CONNECT_FAILURE);
    assertThat(attempts.get(1).failover()).isTrue();
  }

  @Test
  void siloedTenant_goesOnlyToItsDedicatedInstance_pooledOnlyToShared() throws Exception {
    TestInstance shared = server("shared");
    TestInstance acme = server("acme-1");
    TestInstance globex = server("globex-1");
    register("payment", shared.instance("payment", null), acme.instance("payment", "acme"),
        globex.instance("payment", "globex"));
    tenants.put("acme", tenant("acme", Isolation.SILOED, TenantStatus.ACTIVE));
    tenants.put("globex", tenant("globex", Isolation.SILOED, TenantStatus.ACTIVE));
    tenants.put("initech", tenant("initech", Isolation.POOLED, TenantStatus.ACTIVE));
    for (int i = 0; i < 6; i++) {
      try (TenantContext.Scope s = TenantContext.enter("acme")) {
        assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("acme-1");
      }
      try (TenantContext.Scope s = TenantContext.enter("initech")) {
        assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("shared");
      }
      assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(),
          CallOptions.defaults().tenant("globex")).body()).isEqualTo("globex-1");
    }
    assertThat(acme.seen()).allSatisfy(s -> assertThat(s.tenant()).isEqualTo("acme"));
  }

  @Test
  void noEligibleInstance_throwsWithServiceAndTenant() {
    register("payment", new Instance("shop", "payment", "shared", "127.0.0.1", 1, "v1", "zone-a", 100,
        InstanceStatus.UP, Map.of(), null, 30, 1));
    tenants.put("acme", tenant("acme", Isolation.SILOED, TenantStatus.ACTIVE));
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOfSatisfying(NoInstanceAvailableException.class, e -> {
            assertThat(e.service()).isEqualTo("payment");
            assertThat(e.tenant()).isEqualTo("acme");
            assertThat(e.getMessage()).contains("siloed");
          });
    }
    assertThatThrownBy(() -> http.send(get("http://unknown/x"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOfSatisfying(NoInstanceAvailableException.class, e -> assertThat(e.tenant()).isNull());
  }

  @Test
  void badInput_isRefusedClearly() {
    assertThatThrownBy(() -> http.send(get("http://user@payment/x"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: http://<service>/path");
    assertThatThrownBy(() -> http.send(get("http://payment:8080/x"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no port");
    assertThatThrownBy(() -> http.send(get("http://Pay_ment/x"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> http.send(get("http://PAYMENT/x"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("service");
    assertThatThrownBy(() -> http.send(null, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("request");
    assertThatThrownBy(() -> http.send(get("http://payment/x"), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
    assertThatThrownBy(() -> http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString(), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    HttpRequest badTenantHeader = HttpRequest.newBuilder(URI.create("http://payment/x")).header("X-Tenant-Id", "A B")
        .build();
    assertThatThrownBy(() -> http.send(badTenantHeader, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Tenant-Id");
    assertThatThrownBy(() -> CallOptions.defaults().maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> CallOptions.defaults().timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> CallOptions.defaults().tenant("Bad Tenant")).isInstanceOf(ValidationException.class);
  }

  @Test
  void observerFailures_doNotBreakCalls() throws Exception {
    TestInstance a = server("a");
    register("payment", a.instance("payment", null));
    http.addObserver(at -> {
      throw new IllegalStateException("observer bug");
    });
    assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }
}
