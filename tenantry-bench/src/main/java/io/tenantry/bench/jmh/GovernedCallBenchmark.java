package io.tenantry.bench.jmh;

import io.tenantry.api.ApiPaths;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.GovernedCall;
import io.tenantry.client.Governor;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SDK's governed call with no network on its path: {@code client.http().send(...)} to a logical
 * URI for a tenant, through the lowest public seam the SDK offers for its transport,
 * {@code TenantryClient.Builder.httpClient(HttpClient)}, set to {@link StubHttpClient}. Discovery is
 * real: an in-process control plane on 127.0.0.1 holds three instances of {@code payment} and the
 * pooled tenant {@code globex}; the client learns them through its watch stream during set-up, and
 * every measured call is answered from its cache. Measured per call: tenant context enter/exit,
 * tenant lookup, candidate choice (siloed/pooled routing), power-of-two-choices balancing, the
 * request rewrite (instance address, X-Tenant-Id, baggage, caller and attempt headers), the stub send,
 * the balancer's in-flight/latency bookkeeping and the call observers. What the SDK does not have yet
 * (rate limiting and circuit breakers: issue 4) is not in it. One thread.
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
  private HttpRequest request;
  private HttpResponse.BodyHandler<Void> handler;
  private final HttpClient transport = new StubHttpClient();
  private Governor governor;
  private URI logical;

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
          "{\"id\":\"payment-" + i + "\",\"host\":\"127.0.0.1\",\"port\":" + (9000 + i) + ",\"leaseSeconds\":3600}");
    }
    client = TenantryClient.newBuilder().servers(base.toString()).namespace("shop").apiKey(KEY).serviceName("order")
        .snapshotDirectory(dir.resolve("snapshots")).httpClient(new StubHttpClient()).shutdownHook(false).build();
    client.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.instances("payment").size() < 3 || client.tenant("globex").isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the client did not learn the instances and the tenant within 30 s");
      }
      Thread.sleep(20);
    }
    request = HttpRequest.newBuilder(URI.create("http://payment/pay")).GET().build();
    logical = request.uri();
    governor = client.governor();
    handler = HttpResponse.BodyHandlers.discarding();
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

  @TearDown
  public void tearDown() {
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
   * One governed call for tenant globex through the transport-neutral {@link Governor}, around the same stub
   * send as the baselines: context, routing, balancing, breaker, retry budget, the target URI of the chosen
   * instance, send, bookkeeping and counters.
   */
  @Benchmark
  public HttpResponse<Void> tenantryGoverned() throws IOException, InterruptedException {
    try (TenantContext.Scope scope = TenantContext.enter("globex")) {
      GovernedCall call = governor.begin("payment", "GET", "/pay");
      call.target(logical);
      HttpResponse<Void> response = transport.send(request, handler);
      call.end(CallOutcome.SUCCESS, response.statusCode(), false);
      return response;
    }
  }
}
