package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import zipkin2.Span;

/**
 * Tracing over real HTTP: three services a → b → c, each a JDK server behind its client's door, exporting to a
 * Zipkin endpoint played by {@link ZipkinCapture}. c refuses b's first attempt with 503, so b retries.
 */
class TracingIT {
  private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
  private static final String PARENT = "a2fb4a1d1a96d312";

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private ZipkinCapture zipkin;
  private String key;
  private final HttpClient plain = HttpClient.newHttpClient();
  private final AtomicInteger cCalls = new AtomicInteger();
  /** What b's handler saw: its MDC, its inbound baggage header. */
  private final Map<String, String> seenInB = new ConcurrentHashMap<>();
  /** The MDC of b's request thread once the request is over. */
  private final Map<String, String> afterB = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "pooled", "active");
    cp.tenant("shop", "globex", "pooled", "active");
    zipkin = cp.track(new ZipkinCapture());
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  /** A service behind its door: its client (sampling {@code ratio} of root traces) and its registered server. */
  private int service(String name, double ratio, Handler handler) throws Exception {
    TenantryClient client = cp.started(cp.client("shop", key, null).serviceName(name).traceExport(zipkin.export())
        .traceSampleRatio(ratio));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    var context = server.createContext("/", ex -> {
      int status = handler.handle(client, ex);
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    context.getFilters().add(new Filter() { // outside the door: what the MDC holds once the request is over
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        chain.doFilter(ex);
        if (name.equals("b")) {
          afterB.put("trace_id", String.valueOf(MDC.get("trace_id")));
          afterB.put("tenant_id", String.valueOf(MDC.get("tenant_id")));
        }
      }

      @Override
      public String description() {
        return "mdc probe";
      }
    });
    context.getFilters().add(new TenantryHttpFilter(client));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "svc-" + name);
      t.setDaemon(true);
      return t;
    }));
    server.start();
    cp.track(() -> server.stop(0));
    client.register(name, new InstanceSpec(name + "-1", "127.0.0.1", server.getAddress().getPort(), "v1", "zone-a",
        100, InstanceStatus.UP, Map.of(), null, 30));
    return server.getAddress().getPort();
  }

  @FunctionalInterface
  private interface Handler {
    int handle(TenantryClient client, HttpExchange exchange) throws IOException;
  }

  private static int forward(TenantryClient client, String to) throws IOException {
    try {
      return client.http().send(HttpRequest.newBuilder(URI.create("http://" + to + "/next")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 500;
    }
  }

  /** a → b → c; b records its MDC and baggage; c answers its first call with 503. */
  private int chain(double ratio) throws Exception {
    service("c", ratio, (client, ex) -> cCalls.incrementAndGet() == 1 ? 503 : 200);
    service("b", ratio, (client, ex) -> {
      seenInB.put("trace_id", String.valueOf(MDC.get("trace_id")));
      seenInB.put("span_id", String.valueOf(MDC.get("span_id")));
      seenInB.put("tenant_id", String.valueOf(MDC.get("tenant_id")));
      seenInB.put("baggage", String.valueOf(ex.getRequestHeaders().getFirst("baggage")));
      return forward(client, "c");
    });
    int a = service("a", ratio, (client, ex) -> forward(client, "b"));
    TenantryClient probe = cp.started(cp.client("shop", key, null));
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.instances("b").size() == 1
        && probe.instances("c").size() == 1 && probe.tenant("acme").isPresent());
    return a;
  }

  private HttpResponse<String> get(int port, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/start"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return plain.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Span one(List<Span> spans, String service, Span.Kind kind) {
    List<Span> found = spans.stream().filter(s -> service.equals(s.localServiceName()) && s.kind() == kind).toList();
    assertThat(found).as(service + " " + kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void chainWithARetry_isOneTraceOfParentsAndChildren_withAnAttemptSpanPerTry() throws Exception {
    int a = chain(1.0);
    assertThat(get(a, "X-Tenant-Id", "acme", "baggage", "campaign=spring").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> zipkin.spans().size() >= 7);
    List<Span> spans = zipkin.spans();
    assertThat(zipkin.malformed()).isEmpty();
    assertThat(spans).hasSize(7).extracting(Span::traceId).containsOnly(spans.get(0).traceId());
    assertThat(spans).allSatisfy(s -> {
      assertThat(s.tags()).containsEntry("tenant.id", "acme").containsEntry("tenantry.namespace", "shop");
      assertThat(s.tags()).containsKeys("tenantry.service", "tenantry.outcome", "http.request.method", "url.path");
    });
    Span aServer = one(spans, "a", Span.Kind.SERVER);
    Span aToB = one(spans, "a", Span.Kind.CLIENT);
    Span bServer = one(spans, "b", Span.Kind.SERVER);
    List<Span> bToC = spans.stream().filter(s -> "b".equals(s.localServiceName()) && s.kind() == Span.Kind.CLIENT)
        .sorted((x, y) -> x.tags().get("tenantry.attempt").compareTo(y.tags().get("tenantry.attempt"))).toList();
    List<Span> cServer = spans.stream().filter(s -> "c".equals(s.localServiceName())).toList();
    assertThat(aServer.parentId()).isNull();
    assertThat(aToB.parentId()).isEqualTo(aServer.id());
    assertThat(aToB.remoteServiceName()).isEqualTo("b");
    assertThat(bServer.parentId()).isEqualTo(aToB.id());
    assertThat(bServer.remoteServiceName()).isEqualTo("a");
    assertThat(bServer.tags()).containsEntry("tenantry.instance", "b-1").containsEntry("tenantry.service", "b");
    assertThat(bToC).hasSize(2).allSatisfy(s -> {
      assertThat(s.parentId()).isEqualTo(bServer.id());
      assertThat(s.remoteServiceName()).isEqualTo("c");
      assertThat(s.tags()).containsEntry("tenantry.instance", "c-1").containsEntry("tenantry.service", "c");
    });
    assertThat(bToC.get(0).tags()).containsEntry("tenantry.attempt", "1").containsEntry("tenantry.retry", "true")
        .containsEntry("http.response.status_code", "503").containsEntry("tenantry.outcome", "http_error")
        .containsEntry("otel.status_code", "ERROR");
    assertThat(bToC.get(1).tags()).containsEntry("tenantry.attempt", "2").containsEntry("tenantry.retry", "false")
        .containsEntry("http.response.status_code", "200").containsEntry("tenantry.outcome", "success");
    assertThat(cServer).hasSize(2).extracting(Span::parentId)
        .containsExactlyInAnyOrder(bToC.get(0).id(), bToC.get(1).id());
    // The MDC of b's handler held b's span and the tenant, and was clean once the request was over.
    assertThat(seenInB).containsEntry("trace_id", aServer.traceId()).containsEntry("span_id", bServer.id())
        .containsEntry("tenant_id", "acme");
    await().atMost(Duration.ofSeconds(5)).until(() -> afterB.size() == 2); // recorded after b answered
    assertThat(afterB).containsEntry("trace_id", "null").containsEntry("tenant_id", "null");
    // Inbound baggage travels on: a's outbound call carried campaign after tenant.id.
    assertThat(seenInB.get("baggage")).startsWith("tenant.id=acme").contains("campaign=spring");
  }

  @Test
  void b3Input_continuesTheTrace() throws Exception {
    int a = service("a", 0.0, (client, ex) -> 200);
    assertThat(get(a, "b3", TRACE + "-" + PARENT + "-1").statusCode()).isEqualTo(200);
    assertThat(get(a, "X-B3-TraceId", TRACE.replace('4', '5'), "X-B3-SpanId", PARENT, "X-B3-Sampled", "1")
        .statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> zipkin.spans().size() >= 2);
    assertThat(zipkin.spans()).extracting(Span::traceId).containsExactlyInAnyOrder(TRACE, TRACE.replace('4', '5'));
    assertThat(zipkin.spans()).extracting(Span::parentId).containsOnly(PARENT);
  }

  @Test
  void tracingPolicy_samplesATenantLive() throws Exception {
    int a = service("a", 0.0, (client, ex) -> 200);
    cp.policy("shop", "tracing", "investigate", "*", false, "{'ratio':0.0,'tenants':{'acme':1.0}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      get(a, "X-Tenant-Id", "globex");
      get(a, "X-Tenant-Id", "acme");
      return zipkin.spans().stream().anyMatch(s -> "acme".equals(s.tags().get("tenant.id")));
    });
    assertThat(zipkin.spans()).extracting(s -> s.tags().get("tenant.id")).containsOnly("acme");
    int before = zipkin.spans().size();
    cp.policy("shop", "tracing", "investigate", "*", false, "{'ratio':0.0,'tenants':{'globex':1.0}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      get(a, "X-Tenant-Id", "acme");
      get(a, "X-Tenant-Id", "globex");
      return zipkin.spans().stream().anyMatch(s -> "globex".equals(s.tags().get("tenant.id")));
    });
    Map<String, Long> after = zipkin.spans().subList(before, zipkin.spans().size()).stream()
        .collect(Collectors.groupingBy(s -> s.tags().get("tenant.id"), Collectors.counting()));
    // An acme span may have been in flight when the policy changed; after the first globex one, none.
    List<Span> tail = zipkin.spans().subList(before, zipkin.spans().size());
    int firstGlobex = tail.indexOf(tail.stream().filter(s -> "globex".equals(s.tags().get("tenant.id"))).findFirst()
        .orElseThrow());
    assertThat(tail.subList(firstGlobex, tail.size())).extracting(s -> s.tags().get("tenant.id")).containsOnly("globex");
    assertThat(after).containsKey("globex");
  }

  @Test
  void hostileHeaders_neverBreakACall() throws Exception {
    int a = chain(1.0);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    List<String[]> hostile = new ArrayList<>();
    hostile.add(new String[] {"traceparent", "00-" + "f".repeat(20_000)});
    hostile.add(new String[] {"traceparent", "00-" + TRACE + "-" + PARENT + "-01-" + "x".repeat(5000)});
    hostile.add(new String[] {"tracestate", "a=" + "b".repeat(20_000)});
    hostile.add(new String[] {"baggage", "%%%;;;===,,,garbage=%zz;prop,=,k=,\"q\"=x"});
    hostile.add(new String[] {"baggage", many.toString()});
    hostile.add(new String[] {"b3", "-".repeat(3000)});
    hostile.add(new String[] {"X-B3-TraceId", "zz"});
    Map<String, Integer> statuses = new HashMap<>();
    for (String[] h : hostile) {
      cCalls.set(1); // c answers 200 from now on
      statuses.put(h[0] + h[1].length(), get(a, "X-Tenant-Id", "acme", h[0], h[1]).statusCode());
    }
    assertThat(statuses.values()).containsOnly(200);
    // 1000 members in: no more than the SDK's bound go on, the tenant first.
    assertThat(seenInB.get("baggage")).startsWith("tenant.id=acme");
    assertThat(seenInB.get("baggage").split(",").length).isLessThanOrEqualTo(180);
    await().atMost(Duration.ofSeconds(15)).until(() -> zipkin.spans().size() >= 5 * hostile.size()); // a, a→b, b, b→c, c
    assertThat(zipkin.malformed()).isEmpty();
  }

  @Test
  void governorCall_writesTheHeadersOfItsAttempt_andItsSpanIsTheCalleesParent() throws Exception {
    int b = service("b", 0.0, (client, ex) -> 200);
    TenantryClient caller = cp.started(cp.client("shop", key, null).serviceName("batch").traceExport(zipkin.export())
        .traceSampleRatio(1.0));
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.instances("b").size() == 1);
    Map<String, String> headers = new HashMap<>();
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      GovernedCall call = caller.governor().begin("b", "GET", "/job");
      call.writeHeaders(headers::put);
      HttpRequest.Builder r = HttpRequest.newBuilder(call.target(URI.create("http://b/job")));
      headers.forEach(r::header);
      int status = plain.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      assertThat(call.end(CallOutcome.SUCCESS, status, false)).isFalse();
    }
    assertThat(headers).containsKeys("traceparent", "X-Tenant-Id", "baggage");
    assertThat(headers.get("baggage")).isEqualTo("tenant.id=acme");
    await().atMost(Duration.ofSeconds(15)).until(() -> zipkin.spans().size() >= 2);
    Span client = one(zipkin.spans(), "batch", Span.Kind.CLIENT);
    Span server = one(zipkin.spans(), "b", Span.Kind.SERVER);
    assertThat(headers.get("traceparent")).isEqualTo("00-" + client.traceId() + "-" + client.id() + "-01");
    assertThat(server.parentId()).isEqualTo(client.id());
    assertThat(server.traceId()).isEqualTo(client.traceId());
    assertThat(client.tags()).containsEntry("tenant.id", "acme").containsEntry("tenantry.outcome", "success");
    assertThat(b).isPositive();
  }

  @Test
  void unsampledTrace_passesItsIdsThrough_andTheMdcStillHoldsThem() throws Exception {
    int a = chain(1.0); // sampled roots, but this trace's caller decided not to sample it
    assertThat(get(a, "X-Tenant-Id", "acme", "traceparent", "00-" + TRACE + "-" + PARENT + "-00").statusCode())
        .isEqualTo(200);
    assertThat(seenInB).containsEntry("trace_id", TRACE).containsEntry("span_id", PARENT)
        .containsEntry("tenant_id", "acme");
    await().atMost(Duration.ofSeconds(5)).until(() -> afterB.size() == 2); // recorded after b answered
    assertThat(afterB).containsEntry("trace_id", "null").containsEntry("tenant_id", "null");
  }

  @Test
  void refusedAtTheDoor_isASpanToo_whenSampled() throws Exception {
    int a = service("a", 1.0, (client, ex) -> 200);
    cp.policy("shop", "rate-limit", "tight", "a", false,
        "{'limits':[{'name':'one-a-minute','by':'tenant','rate':1,'period':'1m'}]}");
    await().atMost(Duration.ofSeconds(15)).until(() -> get(a, "X-Tenant-Id", "acme").statusCode() == 429);
    await().atMost(Duration.ofSeconds(15)).until(() -> zipkin.spans().stream()
        .anyMatch(s -> "refused".equals(s.tags().get("tenantry.outcome"))));
    Span refused = zipkin.spans().stream().filter(s -> "refused".equals(s.tags().get("tenantry.outcome")))
        .findFirst().orElseThrow();
    assertThat(refused.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(refused.localServiceName()).isEqualTo("a");
    assertThat(refused.tags()).containsEntry("tenant.id", "acme").containsEntry("http.response.status_code", "429")
        .containsEntry("tenantry.refusal", "rate-limited");
  }

  @Test
  void otlpExport_postsProtobufWithTheJdkSender() throws Exception {
    List<String> posts = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otlp.createContext("/v1/traces", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      posts.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + body.length);
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    otlp.start();
    cp.track(() -> otlp.stop(0));
    TenantryClient client = cp.started(cp.client("shop", key, null).serviceName("batch")
        .traceExport("otlp:http://127.0.0.1:" + otlp.getAddress().getPort() + "/v1/traces").traceSampleRatio(1.0));
    int b = service("b", 0.0, (c, ex) -> 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.instances("b").size() == 1);
    client.http().send(HttpRequest.newBuilder(URI.create("http://b/x")).build(), HttpResponse.BodyHandlers.discarding());
    await().atMost(Duration.ofSeconds(15)).until(() -> !posts.isEmpty());
    assertThat(posts.get(0)).startsWith("POST application/x-protobuf ").doesNotEndWith(" 0");
    assertThat(b).isPositive();
  }
}
