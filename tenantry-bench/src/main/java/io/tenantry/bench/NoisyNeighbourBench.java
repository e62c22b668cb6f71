package io.tenantry.bench;

import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.InstanceSpec;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The noisy-neighbour benchmark of issue 4: does one tenant's flood hurt another tenant of the same
 * service? One control plane (in this JVM), one {@code order} instance (a JDK {@code HttpServer} behind
 * the SDK's {@link TenantryHttpFilter}, doing {@link Settings#workMicros} of CPU work per request, 16
 * worker threads), a {@code rate-limit} policy by tenant (free tier: {@link Settings#initechLimit} per
 * second; premium: far above the load), and a paced load generator over HTTP/1.1:
 *
 * <ol>
 *   <li>warm-up: {@code acme} (premium) alone, not measured;
 *   <li>phase "alone": {@code acme} at {@link Settings#acmeRate} requests per second;
 *   <li>phase "flood": the same, while {@code initech} (free) sends {@link Settings#floodFactor} times its
 *       limit in parallel.
 * </ol>
 *
 * Reported: acme's p50/p99 latency and error rate in both phases and their ratio (the bar: p99 with the
 * flood within 10% of p99 alone, no more errors), and initech's admitted and refused (429) counts. Each
 * sender is paced: it sends at its slot, or at once if it is late (no catching up in bursts); latency is
 * measured from the send to the full answer. Not thread-safe: one run at a time.
 */
final class NoisyNeighbourBench {
  static final String SCENARIO_PREFIX = "noisy.";
  static final String ALONE = SCENARIO_PREFIX + "acme-alone";
  static final String FLOOD = SCENARIO_PREFIX + "acme-with-flood";
  static final String INITECH = SCENARIO_PREFIX + "initech-flood";
  static final String NAMESPACE = "noisy";
  static final double BAR = 1.10;
  private static final int ACME_SENDERS = 4;
  private static final int INITECH_SENDERS = 8;

  /**
   * @param warmup       acme alone before the measured phases
   * @param phase        each measured phase
   * @param acmeRate     acme's requests per second
   * @param initechLimit initech's limit (free tier), per second
   * @param floodFactor  initech sends this many times its limit
   * @param workMicros   CPU work of one admitted request
   */
  record Settings(Duration warmup, Duration phase, int acmeRate, int initechLimit, int floodFactor, long workMicros) {
    static Settings full() {
      return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(12), 100, 50, 10, 200);
    }

    static Settings smoke() {
      return new Settings(Duration.ofMillis(500), Duration.ofMillis(1500), 100, 50, 10, 200);
    }
  }

  /** What one tenant's senders saw in one phase. Merged from the senders' own after they stop. */
  static final class Tally {
    final Histogram latencyMicros = new Histogram(60_000_000L, 2);
    long ok;
    long refused;
    long errors;

    long requests() {
      return ok + refused + errors;
    }

    void add(Tally o) {
      latencyMicros.add(o.latencyMicros);
      ok += o.ok;
      refused += o.refused;
      errors += o.errors;
    }
  }

  private final Settings settings;
  private final Results results;
  private final PrintStream log;
  private final Path work;

  NoisyNeighbourBench(Settings settings, Results results, PrintStream log, Path work) {
    this.settings = settings;
    this.results = results;
    this.log = log;
    this.work = work;
  }

  void run() throws IOException, InterruptedException {
    String key = "tnt_bench_noisy_" + Long.toHexString(System.nanoTime()) + "0123456789abcdef";
    ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0)
        .dataDir(work.resolve("noisy-neighbour").resolve("data-" + System.currentTimeMillis())).adminKey(key).build();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
      URI base = server.baseUri();
      HttpClient admin = HttpClient.newHttpClient();
      send(admin, base, key, "POST", ApiPaths.NAMESPACES, "{\"name\":\"" + NAMESPACE + "\"}");
      send(admin, base, key, "POST", ApiPaths.expand(ApiPaths.TENANTS, NAMESPACE), "{\"id\":\"acme\",\"tier\":\"premium\"}");
      send(admin, base, key, "POST", ApiPaths.expand(ApiPaths.TENANTS, NAMESPACE), "{\"id\":\"initech\",\"tier\":\"free\"}");
      send(admin, base, key, "PUT", ApiPaths.expand(ApiPaths.NAMESPACE, NAMESPACE) + "/policies/rate-limit/per-tenant",
          policy());
      try (TenantryClient client = TenantryClient.newBuilder().servers(base.toString()).namespace(NAMESPACE).apiKey(key)
          .serviceName("order").snapshotDirectory(work.resolve("noisy-neighbour").resolve("snapshot"))
          .shutdownHook(false).build()) {
        client.start();
        HttpServer order = orderService(client);
        try {
          int port = order.getAddress().getPort();
          client.register("order", new InstanceSpec("order-1", "127.0.0.1", port, "v1", null, null, null, Map.of(),
              null, 30));
          measure(URI.create("http://127.0.0.1:" + port + "/orders"), client);
        } finally {
          order.stop(0);
          ((ExecutorService) order.getExecutor()).shutdownNow();
        }
      }
    }
  }

  private String policy() {
    return """
        {"service": "order", "description": "noisy-neighbour benchmark: free tier limited",
         "spec": {"limits": [{"name": "per-tenant", "by": "tenant", "rate": %d,
           "tiers": {"free": {"rate": %d}, "premium": {"rate": 1000000}}}]}}
        """.formatted(settings.initechLimit(), settings.initechLimit());
  }

  /** The order instance: fixed CPU work per admitted request, then 200 with a small body. */
  private HttpServer orderService(TenantryClient client) throws IOException {
    // without TCP_NODELAY the JDK server's answer (headers, then body: two writes) waits for the client's
    // delayed ACK: ~40 ms per request, which would measure TCP, not the service. Read when the JDK's
    // server first starts in this JVM.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "order-http");
      t.setDaemon(true);
      return t;
    }));
    byte[] body = "{\"id\":\"o-1\",\"status\":\"paid\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long workNanos = settings.workMicros() * 1000;
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        work(workNanos);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    }).getFilters().add(new TenantryHttpFilter(client));
    server.start();
    return server;
  }

  /** Busy CPU work for about {@code nanos}: what a request's own processing costs. */
  static long work(long nanos) {
    long end = System.nanoTime() + nanos;
    long x = 17;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 64; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    return x;
  }

  private void measure(URI uri, TenantryClient client) throws InterruptedException {
    // one HTTP client per tenant, as two customers have: the JDK's client serves all its connections from one
    // selector thread, which a shared client would make a bottleneck of the load generator, not the service
    HttpClient http = newClient();
    HttpClient flood = newClient();
    // the limit is in force once initech is refused; the senders wait for it (the policy travels by watch)
    awaitRefusal(flood, uri, client);
    log.println("noisy-neighbour: rate limit in force; warming up (acme alone, " + settings.warmup().toMillis() + " ms)");
    phase(http, flood, uri, settings.warmup(), false);
    log.println("noisy-neighbour: acme alone, " + settings.phase().toMillis() + " ms");
    Tally[] alone = phase(http, flood, uri, settings.phase(), false);
    log.println("noisy-neighbour: acme with initech flooding at " + settings.floodFactor() + "× its limit, "
        + settings.phase().toMillis() + " ms");
    Tally[] withFlood = phase(http, flood, uri, settings.phase(), true);
    record(ALONE, alone[0]);
    record(FLOOD, withFlood[0]);
    Tally initech = withFlood[1];
    double seconds = settings.phase().toNanos() / 1e9;
    results.add("tenantry", INITECH, "admitted", initech.ok, "requests");
    results.add("tenantry", INITECH, "refused", initech.refused, "requests");
    results.add("tenantry", INITECH, "errors", initech.errors, "requests");
    results.add("tenantry", INITECH, "offered_per_s", initech.requests() / seconds, "requests/s");
    results.add("tenantry", INITECH, "admitted_per_s", initech.ok / seconds, "requests/s");
    results.add("tenantry", INITECH, "limit_per_s", settings.initechLimit(), "requests/s");
    double p99Alone = alone[0].latencyMicros.getValueAtPercentile(99) / 1000.0;
    double p99Flood = withFlood[0].latencyMicros.getValueAtPercentile(99) / 1000.0;
    results.add("tenantry", FLOOD, "p99_ratio", p99Alone == 0 ? Double.NaN : p99Flood / p99Alone, "×");
  }

  private void record(String scenario, Tally t) {
    double seconds = settings.phase().toNanos() / 1e9;
    results.add("tenantry", scenario, "requests", t.requests(), "requests");
    results.add("tenantry", scenario, "ops_per_s", t.requests() / seconds, "requests/s");
    results.add("tenantry", scenario, "p50_ms", t.latencyMicros.getValueAtPercentile(50) / 1000.0, "ms");
    results.add("tenantry", scenario, "p99_ms", t.latencyMicros.getValueAtPercentile(99) / 1000.0, "ms");
    results.add("tenantry", scenario, "error_pct", t.requests() == 0 ? 0 : 100.0 * (t.errors + t.refused) / t.requests(),
        "%");
  }

  private void awaitRefusal(HttpClient http, URI uri, TenantryClient client) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    int last = 0;
    while (System.nanoTime() < deadline) {
      // a burst of twice the bucket at once, in parallel: a sequential prober on a busy machine may never
      // exceed the rate at all
      List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> burst = new ArrayList<>();
      for (int i = 0; i < settings.initechLimit() * 2; i++) {
        burst.add(http.sendAsync(request(uri, "initech"), HttpResponse.BodyHandlers.discarding()));
      }
      boolean refused = false;
      for (var f : burst) {
        try {
          last = f.get(10, TimeUnit.SECONDS).statusCode();
          refused |= last == 429;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          last = 0;
        }
      }
      if (refused) {
        log.printf("noisy-neighbour: initech refused %.1f s after the order instance started%n",
            (System.nanoTime() - start) / 1e9);
        Thread.sleep(1000); // let initech's bucket fill again
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the rate-limit policy was not enforced within 30 s: initech was never refused"
        + " (last answer: HTTP " + last + "; the instance's SDK knows " + client.instances("order").size()
        + " order instances, tenant initech: " + client.tenant("initech").isPresent() + ", policy effects: "
        + client.policyEffects() + ")");
  }

  /** Runs acme's senders (and initech's, with {@code flood}) for {@code length}; answers {acme, initech}. */
  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  private Tally[] phase(HttpClient http, HttpClient floodHttp, URI uri, Duration length, boolean flood)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    List<Tally> acme = new ArrayList<>();
    List<Tally> initech = new ArrayList<>();
    long acmePeriod = TimeUnit.SECONDS.toNanos(1) * ACME_SENDERS / settings.acmeRate();
    for (int i = 0; i < ACME_SENDERS; i++) {
      Tally t = new Tally();
      acme.add(t);
      threads.add(sender(http, uri, "acme", start + acmePeriod * i / ACME_SENDERS, acmePeriod, end, t));
    }
    if (flood) {
      long rate = (long) settings.initechLimit() * settings.floodFactor();
      long period = TimeUnit.SECONDS.toNanos(1) * INITECH_SENDERS / rate;
      for (int i = 0; i < INITECH_SENDERS; i++) {
        Tally t = new Tally();
        initech.add(t);
        threads.add(sender(floodHttp, uri, "initech", start + period * i / INITECH_SENDERS, period, end, t));
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    Tally a = new Tally();
    acme.forEach(a::add);
    Tally b = new Tally();
    initech.forEach(b::add);
    return new Tally[] {a, b};
  }

  private Thread sender(HttpClient http, URI uri, String tenant, long first, long period, long end, Tally tally) {
    Thread t = new Thread(() -> {
      long next = first;
      while (next < end) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long sent = System.nanoTime();
        int status = call(http, uri, tenant);
        tally.latencyMicros.recordValue(Math.min((System.nanoTime() - sent) / 1000, 60_000_000L));
        if (status == 200) {
          tally.ok++;
        } else if (status == 429) {
          tally.refused++;
        } else {
          tally.errors++;
        }
        next += period;
        long now = System.nanoTime();
        if (next < now) {
          next = now; // late: send now, never a burst to catch up
        }
      }
    }, "noisy-" + tenant);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** One {@code POST /orders} as {@code tenant}: its status, or 0 if no answer came. */
  private static int call(HttpClient http, URI uri, String tenant) {
    try {
      return http.send(request(uri, tenant), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static HttpRequest request(URI uri, String tenant) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header(Headers.TENANT_ID, tenant)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u-1\",\"amount\":100}")).build();
  }

  private static void send(HttpClient http, URI base, String key, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header(Headers.AUTHORIZATION, Headers.BEARER + key)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** The report's section: acme side by side in both phases, the ratio against the bar, initech's counts. */
  static String markdown(List<Figure> figures) {
    Optional<Figure> p99Alone = find(figures, ALONE, "p99_ms");
    Optional<Figure> p99Flood = find(figures, FLOOD, "p99_ms");
    if (p99Alone.isEmpty() || p99Flood.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("## Noisy neighbour (issue 4)\n\n");
    b.append("""
        One `order` instance (JDK `HttpServer` + the SDK's `TenantryHttpFilter`, 16 worker threads, ~200 µs of
        CPU work per admitted request) with a `rate-limit` policy by tenant (free tier limited); the control
        plane and the load generator in the same JVM, on the same two cores. `acme` (premium) sends a paced
        load alone, then with `initech` (free) flooding at ten times its limit in parallel, each tenant from
        its own JDK `HttpClient` (HTTP/1.1 keep-alive; the server with `TCP_NODELAY`). Latency is from the send
        to the full answer; an error is any answer but 200.

        """);
    b.append("| acme | alone | with initech's flood | ratio |\n|---|---:|---:|---:|\n");
    for (String metric : List.of("requests", "ops_per_s", "p50_ms", "p99_ms", "error_pct")) {
      Optional<Figure> a = find(figures, ALONE, metric);
      Optional<Figure> f = find(figures, FLOOD, metric);
      String ratio = a.isPresent() && f.isPresent() && a.get().value() != 0 && metric.endsWith("_ms")
          ? Figure.format(f.get().value() / a.get().value()) + "×" : "";
      b.append("| ").append(metric).append(a.map(x -> x.unit().isEmpty() ? "" : " (" + x.unit() + ")").orElse(""))
          .append(" | ").append(a.map(x -> Figure.format(x.value())).orElse("-"))
          .append(" | ").append(f.map(x -> Figure.format(x.value())).orElse("-"))
          .append(" | ").append(ratio).append(" |\n");
    }
    b.append('\n').append("| initech during the flood | |\n|---|---:|\n");
    for (String metric : List.of("limit_per_s", "offered_per_s", "admitted_per_s", "admitted", "refused", "errors")) {
      find(figures, INITECH, metric).ifPresent(x -> b.append("| ").append(metric).append(" (").append(x.unit())
          .append(") | ").append(Figure.format(x.value())).append(" |\n"));
    }
    double ratio = p99Flood.get().value() / p99Alone.get().value();
    double errAlone = find(figures, ALONE, "error_pct").map(Figure::value).orElse(0.0);
    double errFlood = find(figures, FLOOD, "error_pct").map(Figure::value).orElse(0.0);
    boolean met = ratio <= BAR && errFlood <= errAlone;
    b.append('\n').append("```\n").append(met ? "MET           " : "MISSED        ")
        .append(String.format(Locale.ROOT, "acme's p99 with initech's flood within 10%% of alone, no more errors: "
            + "%s ms vs %s ms (%s×), errors %s%% vs %s%%", Figure.format(p99Flood.get().value()),
            Figure.format(p99Alone.get().value()), Figure.format(ratio), Figure.format(errFlood), Figure.format(errAlone)))
        .append("\n```\n\n");
    return b.toString();
  }

  private static Optional<Figure> find(List<Figure> figures, String scenario, String metric) {
    return figures.stream().filter(f -> f.scenario().equals(scenario) && f.metric().equals(metric)).reduce((a, b) -> b);
  }
}
