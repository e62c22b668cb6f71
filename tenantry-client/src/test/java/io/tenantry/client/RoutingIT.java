package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant-aware routing, retries and failover with real JDK HTTP servers registered through the SDK. */
class RoutingIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;
  private TenantryClient order;
  private TestInstance shared1;
  private TestInstance shared2;
  private TestInstance acme1;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "siloed", "active");
    cp.tenant("shop", "globex", "pooled", "active");
    TenantryClient payment = cp.started(cp.client("shop", key, null).serviceName("payment"));
    shared1 = cp.track(new TestInstance("payment-1"));
    shared2 = cp.track(new TestInstance("payment-2"));
    acme1 = cp.track(new TestInstance("payment-acme"));
    payment.register("payment", shared1.spec(null, 30));
    payment.register("payment", shared2.spec(null, 30));
    payment.register("payment", acme1.spec("acme", 30));
    order = cp.started(cp.client("shop", key, null).serviceName("order"));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return order.http().send(HttpRequest.newBuilder(URI.create("http://payment" + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void siloedTenant_reachesOnlyItsInstance_pooledAndNoneOnlyShared() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (TenantContext.Scope s = TenantContext.enter("acme")) {
        assertThat(get("/pay").body()).isEqualTo("payment-acme");
      }
      try (TenantContext.Scope s = TenantContext.enter("globex")) {
        assertThat(get("/pay").body()).isIn("payment-1", "payment-2");
      }
      assertThat(get("/pay").body()).isIn("payment-1", "payment-2");
    }
    assertThat(acme1.seen()).hasSize(10).allSatisfy(s -> {
      assertThat(s.tenant()).isEqualTo("acme");
      assertThat(s.header("X-Tenantry-Caller")).isEqualTo("order");
      assertThat(s.header("baggage")).contains("tenant.id=acme");
    });
    assertThat(shared1.seen()).noneSatisfy(s -> assertThat(s.tenant()).isEqualTo("acme"));
    assertThat(shared1.count() + shared2.count()).isEqualTo(20);
    assertThat(shared1.count()).isPositive();
    assertThat(shared2.count()).isPositive();
  }

  @Test
  void siloedTenantWithoutItsInstance_getsNoInstance_neverShared() throws Exception {
    TenantryClient payment = cp.started(cp.client("shop", key, null));
    cp.tenant("shop", "umbrella", "siloed", "active");
    await().atMost(Duration.ofSeconds(5)).until(() -> order.tenant("umbrella").isPresent());
    try (TenantContext.Scope s = TenantContext.enter("umbrella")) {
      assertThatThrownBy(() -> get("/pay")).isInstanceOfSatisfying(NoInstanceAvailableException.class, e -> {
        assertThat(e.service()).isEqualTo("payment");
        assertThat(e.tenant()).isEqualTo("umbrella");
      });
    }
    assertThat(payment.instances("payment")).hasSize(3);
  }

  @Test
  void failingInstance_isRetriedElsewhere() throws Exception {
    shared1.answer(503);
    CopyOnWriteArrayList<CallAttempt> attempts = new CopyOnWriteArrayList<>();
    order.http().addObserver(attempts::add);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = order.http().send(HttpRequest.newBuilder(URI.create("http://payment/pay"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString(),
          CallOptions.defaults().retryable(true));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("payment-2");
    }
    assertThat(attempts).filteredOn(CallAttempt::failover).isNotEmpty()
        .allSatisfy(a -> assertThat(a.instance().id()).isEqualTo("payment-2"));
  }

  @Test
  void killedInstance_costsARetry_notAFailure() throws Exception {
    shared1.close(); // dies without deregistering: still listed until its lease lapses
    for (int i = 0; i < 10; i++) {
      assertThat(get("/pay").body()).isEqualTo("payment-2");
    }
  }

  @Test
  void killedMidCall_idempotentCallFailsOver() throws Exception {
    shared1.holdAnswers();
    shared2.holdAnswers();
    CopyOnWriteArrayList<CallAttempt> attempts = new CopyOnWriteArrayList<>();
    order.http().addObserver(attempts::add);
    var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/pay").body();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> shared1.count() + shared2.count() == 1);
    TestInstance victim = shared1.count() == 1 ? shared1 : shared2;
    TestInstance survivor = victim == shared1 ? shared2 : shared1;
    survivor.release();
    victim.close();
    assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(survivor.id());
    assertThat(attempts.get(0).outcome()).isIn(CallOutcome.CONNECT_FAILURE, CallOutcome.HTTP_ERROR);
  }
}
