package io.tenantry.bench.jmh;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.ApiPaths;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.GovernedCall;
import io.tenantry.client.Governor;
import io.tenantry.client.RequestHeaders;
import io.tenantry.client.ServiceDoor;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SDK's governed call with no network on its path. Discovery and policies are real: an in-process control plane
 * on 127.0.0.1 holds three instances of {@code payment}, the tenant {@code globex} and payment's route, resilience
 * and rate-limit policies; the caller's client ({@code order}) and the callee's ({@code payment}) learn them through
 * their watch streams during set-up, and every measured call is decided from their caches. The transport is a stub
 * ({@link StubHttpClient}) that answers at once. What each benchmark covers is on its method; what the clients
 * measure and how they trace, on {@link #metrics} and {@link #tracing}. One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GovernedCallBenchmark {
  private static final String KEY = "tnt_bench_jmh_0123456789abcdef";

  private TenantryServer server;
  private TenantryClient client;
  private TenantryClient callee;
  private ServiceDoor door;
  private HttpRequest request;
  private HttpResponse.BodyHandler<Void> handler;
  private final HttpClient transport = new StubHttpClient();
  private Governor governor;
  private URI logical;
  /**
   * What both clients measure: {@code off} nothing (as before issue 5), {@code stats} the per-tenant statistics
   * reported to the control plane (the default), {@code meters} those and Micrometer meters in a Prometheus
   * registry.
   */
  @Param({"off", "stats", "meters"})
  public String metrics;
  /**
   * How both clients trace: {@code none} no spans (context passes through), {@code unsampled} every call a root
   * that is not sampled (trace ids made and propagated), {@code default} the SDK's default, 10% of the roots
   * sampled and exported to the control plane (in this JVM: its ingestion counts in the allocation figures).
   */
  @Param({"none", "unsampled", "default"})
  public String tracing;

  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("tenantry-jmh-");
    server = TenantryServer.start(ServerConfig.newBuilder().host("127.0.0.1").port(0).dataDir(dir.resolve("data"))
        .adminKey(KEY).build(), new PrintStream(OutputStream.nullOutputStream()));
    HttpClient admin = HttpClient.newHttpClient();
    URI base = server.baseUri();
    send(admin, base, "POST", ApiPaths.NAMESPACES, "{\"name\":\"shop\"}");
    send(admin, base, "POST", ApiPaths.expand(ApiPaths.TENANTS, "shop"), "{\"id\":\"globex\",\"tier\":\"standard\"}");
    for (int i = 1; i <= 3; i++) {
      send(admin, base, "PUT", ApiPaths.expand(ApiPaths.INSTANCE, "shop", "payment", "payment-" + i),
          "{\"id\":\"payment-" + i + "\",\"host\":\"127.0.0.1\",\"port\":" + (9000 + i)
              + ",\"version\":\"v1\",\"leaseSeconds\":3600}");
    }
    // Policies in force, as Sentinel's benchmark has its flow and degrade rules: a route rule the call matches,
    // a breaker with outlier ejection and a retry budget, and a rate limit per tenant at payment's door.
    policy(admin, base, "route", "payment-route", "{\"rules\":[{\"name\":\"standard\",\"match\":{\"tiers\":"
        + "[\"standard\"]},\"destinations\":[{\"subset\":{\"version\":\"v1\"}}]}]}");
    policy(admin, base, "resilience", "payment-resilience", "{\"retry\":{},\"circuitBreaker\":{},"
        + "\"outlierDetection\":{},\"bulkhead\":{\"maxConcurrent\":1000}}");
    policy(admin, base, "rate-limit", "payment-limits", "{\"limits\":[{\"name\":\"per-tenant\",\"by\":\"tenant\","
        + "\"rate\":1000000000,\"period\":\"1s\"}]}");
    client = measured(TenantryClient.newBuilder().servers(base.toString()).namespace("shop").apiKey(KEY)
        .serviceName("order").snapshotDirectory(dir.resolve("snapshots")).httpClient(new StubHttpClient())
        .shutdownHook(false)).build();
    client.start();
    request = HttpRequest.newBuilder(URI.create("http://payment/pay")).GET().build();
    handler = HttpResponse.BodyHandlers.discarding();
    callee = measured(TenantryClient.newBuilder().servers(base.toString()).namespace("shop").apiKey(KEY)
        .serviceName("payment").snapshotDirectory(dir.resolve("snapshots-payment")).shutdownHook(false)).build();
    callee.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.instances("payment").size() < 3 || client.tenant("globex").isEmpty()
        || callee.tenant("globex").isEmpty() || callee.policyEffects().stream().noneMatch(e -> e.kind().equals("rate-limit"))
        || !routed()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the client did not learn the instances and the tenant within 30 s");
      }
      Thread.sleep(20);
    }
    logical = request.uri();
    governor = client.governor();
    door = callee.door();
  }

  private TenantryClient.Builder measured(TenantryClient.Builder b) {
    switch (tracing) {
      case "none" -> b.traceExport("none");
      case "unsampled" -> b.traceSampleRatio(0.0);
      default -> { }
    }
    return switch (metrics) {
      case "off" -> b.statsInterval(java.time.Duration.ZERO);
      case "stats" -> b;
      default -> b.meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    };
  }

  private static void policy(HttpClient http, URI base, String kind, String name, String spec)
      throws IOException, InterruptedException {
    send(http, base, "PUT", ApiPaths.expand(ApiPaths.POLICY, "shop", kind, name),
        "{\"service\":\"payment\",\"spec\":" + spec + "}");
  }

  private static void send(HttpClient http, URI base, String method, String path, String json)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** True once the client routes calls to payment by the route policy (a first call compiles its router). */
  private boolean routed() throws IOException, InterruptedException {
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      client.http().send(request, handler);
    }
    return client.policyEffects().stream().anyMatch(e -> e.kind().equals("route") && e.count("routed") > 0);
  }

  @TearDown
  public void tearDown() {
    if (callee != null) {
      callee.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * One governed call for tenant globex through the JDK HttpClient adapter: context, routing, balancing,
   * the outbound request rebuilt for the chosen instance (the JDK's HttpRequest is immutable), send, bookkeeping.
   */
  @Benchmark
  public HttpResponse<Void> tenantryGovernedHttp() throws IOException, InterruptedException {
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      return client.http().send(request, handler);
    }
  }

  /**
   * One governed call for tenant globex, both sides, around the same stub send as the baselines. The caller,
   * through the transport-neutral {@link Governor}: tenant context, the route rule, ejection-filtered
   * candidates, balancing, breaker, retry budget, the chosen instance's target URI, and after the answer the
   * breaker's, the ejection's and the balancer's bookkeeping and the call counters. The callee, through its
   * {@link ServiceDoor}: the tenant (valid, not suspended), the tenant's rate-limit bucket, its bulkhead, and
   * their release.
   */
  @Benchmark
  public HttpResponse<Void> tenantryGoverned() throws IOException, InterruptedException {
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      GovernedCall call = governor.begin("payment", "GET", "/pay");
      call.target(logical);
      ServiceDoor.Admission admission = door.enter(INBOUND, INBOUND_HEADERS, "GET", "/pay");
      HttpResponse<Void> response = transport.send(request, handler);
      door.exit(admission, response.statusCode());
      call.end(CallOutcome.SUCCESS, response.statusCode(), false);
      return response;
    }
  }

  /**
   * The caller's side only ({@link Governor}), as {@link #tenantryGoverned} measures it: comparable to the
   * Resilience4j chain, which also guards the caller only.
   */
  @Benchmark
  public HttpResponse<Void> tenantryGovernedCallerOnly() throws IOException, InterruptedException {
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      GovernedCall call = governor.begin("payment", "GET", "/pay");
      call.target(logical);
      HttpResponse<Void> response = transport.send(request, handler);
      call.end(CallOutcome.SUCCESS, response.statusCode(), false);
      return response;
    }
  }

  /** The inbound request as the callee's server sees it: the headers the caller's SDK sets. */
  private record Inbound(String tenant, String caller) {}

  private static final Inbound INBOUND = new Inbound("globex", "order");
  private static final RequestHeaders<Inbound> INBOUND_HEADERS = (r, name) -> switch (name) {
    case "x-tenant-id" -> r.tenant();
    case "x-tenantry-caller" -> r.caller();
    default -> null;
  };
}
