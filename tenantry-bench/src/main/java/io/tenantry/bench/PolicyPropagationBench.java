package io.tenantry.bench;

import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.TenantryClient;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How long a policy change takes to reach every SDK (issue 4: p99 under one second). N real SDK clients
 * ({@link TenantryClient}, each with its own watch stream, control-plane HTTP client and threads, as N
 * processes would have) watch one namespace; a rate-limit policy of their service is then written again and
 * again with alternating contents at a fixed spacing. For each change: the time from just before its PUT is
 * sent to the moment the last client has applied it ({@code last_*}), and to each client's ({@code each_*}),
 * observed by {@link PolicyProbe} right after the SDK compiled the new policy into its door. The first
 * changes warm up and are not counted. Then {@link BlueGreenSwitchBench}: a route switched under load.
 *
 * <p>All N clients share this JVM and the machine's cores (with the control plane, when it runs here too), so
 * every change costs N times one SDK's apply on the same cores at once; {@code sdk_cpu_us_per_apply} says how
 * much that is. Where N times it approaches the cores' time between two changes, the clients' own CPU, not the
 * delivery, sets {@code last_*}: N SDK processes on N machines would not queue behind each other. In-process
 * (no {@code --server-jar}) both CPU figures count the control plane and the clients together.
 *
 * <p>Run from the command line ({@code --help}) or from {@code BenchMain} through {@link #run}. Not thread-safe.
 */
public final class PolicyPropagationBench {
  static final String SYSTEM = "tenantry";
  static final String SERVICE = "inventory";
  private static final String USAGE = """
      usage: PolicyPropagationBench [--smoke] [--server-jar JAR] [--clients 100,1000] [--work DIR]
        --smoke       10 clients, a few changes (seconds)
        --server-jar  run the control plane as its own process from this jar (default: in this JVM)
        --clients     client counts instead of the mode's
        --work        where policy-results.tsv and policy.md go (default target/bench-policy)
      """;

  /**
   * @param clients   how many SDK clients, one run per count
   * @param warmup    changes made first and not counted
   * @param changes   changes counted
   * @param spacing   time between the starts of two changes
   * @param settle    how long the last change may take to reach everyone before it counts as missed
   * @param subscribe how long the clients may take to start and hold the policy
   * @param switches  the blue/green part
   */
  record Settings(List<Integer> clients, int warmup, int changes, Duration spacing, Duration settle,
      Duration subscribe, BlueGreenSwitchBench.Settings switches) {
    static Settings full() {
      return new Settings(List.of(100, 1_000), 5, 40, Duration.ofMillis(200), Duration.ofSeconds(5),
          Duration.ofSeconds(30), new BlueGreenSwitchBench.Settings(20, Duration.ofMillis(250), Duration.ofSeconds(5)));
    }

    static Settings smoke() {
      return new Settings(List.of(10), 2, 5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(10),
          new BlueGreenSwitchBench.Settings(3, Duration.ofMillis(150), Duration.ofSeconds(5)));
    }

    Settings withClients(List<Integer> counts) {
      return counts == null ? this : new Settings(List.copyOf(counts), warmup, changes, spacing, settle, subscribe,
          switches);
    }
  }

  private final TenantryAdmin admin;
  private final String apiKey;
  private final ProcessProbe server;
  private final Results results;
  private final PrintStream log;

  /**
   * @param admin  the control plane, reached with an admin key
   * @param apiKey the key the SDK clients use (may be the admin key)
   * @param server the control plane's process, for its CPU time
   */
  PolicyPropagationBench(TenantryAdmin admin, String apiKey, ProcessProbe server, Results results, PrintStream log) {
    this.admin = admin;
    this.apiKey = apiKey;
    this.server = server;
    this.results = results;
    this.log = log;
  }

  /**
   * Everything: propagation at each client count ({@code policy@N}), then the blue/green switch under load
   * ({@code bluegreen}), in namespace {@code policy-bench}. The figures go to {@code results}.
   */
  static void run(TenantryAdmin admin, String apiKey, ProcessProbe server, Settings settings, Results results,
      PrintStream log) throws IOException, InterruptedException {
    String namespace = "policy-bench";
    admin.createNamespace(namespace);
    PolicyPropagationBench bench = new PolicyPropagationBench(admin, apiKey, server, results, log);
    for (int n : settings.clients()) {
      bench.propagate(namespace, n, settings);
    }
    new BlueGreenSwitchBench(admin, apiKey, results, log).run(namespace, settings.switches());
  }

  /** One propagation run with {@code n} clients, filed under {@code policy@n}. */
  void propagate(String namespace, int n, Settings s) throws IOException, InterruptedException {
    String scenario = "policy@" + n;
    String policy = "propagation-" + n;
    log.println(SYSTEM + ": " + scenario + ": " + n + " SDK clients, " + s.changes() + " changes "
        + s.spacing().toMillis() + " ms apart (after " + s.warmup() + " not counted)");
    int tracked = s.warmup() + s.changes();
    try (PolicyWriter writer = new PolicyWriter(admin, namespace)) {
      long base = writer.put("rate-limit", policy, SERVICE, spec(-1));
      PolicyArrivals arrivals = new PolicyArrivals(base + 1, n, tracked);
      Footprint before = Footprint.now();
      long t = System.nanoTime();
      HttpClient calls = HttpClient.newHttpClient(); // these clients make no calls: one shared call transport
      List<TenantryClient> clients = new ArrayList<>(n);
      try {
        for (int i = 0; i < n; i++) {
          TenantryClient c = TenantryClient.newBuilder().servers(baseUri(admin)).namespace(namespace).apiKey(apiKey)
              .serviceName(SERVICE).snapshotDirectory(null).shutdownHook(false).httpClient(calls).build().start();
          clients.add(c);
          int index = i;
          PolicyProbe.onApplied(c, PolicyKind.RATE_LIMIT, policy, v -> arrivals.applied(index, v));
        }
        awaitReady(clients, arrivals, s.subscribe());
        add(scenario, "subscribe_s", (System.nanoTime() - t) / 1e9, "s");
        Footprint after = Footprint.now();
        add(scenario, "threads_per_client", (after.threads() - before.threads()) / (double) n, "");
        add(scenario, "heap_kb_per_client", (after.heapBytes() - before.heapBytes()) / 1024.0 / n, "KiB");

        long[] sent = new long[tracked];
        long[] answered = new long[tracked];
        ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());
        long cpuBefore = 0;
        long sdkCpuBefore = 0;
        long start = System.nanoTime();
        for (int c = 0; c < tracked; c++) {
          if (c == s.warmup()) {
            if (c > 0) { // the warm-up has reached everyone before CPU is counted
              arrivals.await(c - 1, System.nanoTime() + s.settle().toNanos());
            }
            cpuBefore = server.cpuNanos();
            sdkCpuBefore = self.cpuNanos();
          }
          long wait = start + c * s.spacing().toNanos() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          sent[c] = System.nanoTime();
          long version = writer.put("rate-limit", policy, SERVICE, spec(c));
          answered[c] = System.nanoTime();
          if (version != base + 1 + c) {
            throw new IOException(scenario + ": change " + c + " got version " + version + " (expected: "
                + (base + 1 + c) + "; is someone else writing " + policy + "?)");
          }
        }
        boolean all = arrivals.await(tracked - 1, System.nanoTime() + s.settle().toNanos());
        long cpu = server.cpuNanos() - cpuBefore;
        long sdkCpu = self.cpuNanos() - sdkCpuBefore;
        report(scenario, arrivals, sent, answered, s.warmup(), n, cpu, sdkCpu, all, s.settle());
        log.println("  measured; closing the clients");
      } finally {
        closeAll(clients);
        closeQuietly(calls);
      }
    }
  }

  /** A rate-limit spec whose contents alternate with {@code change} (-1: the first write). */
  private static String spec(int change) {
    long rate = change % 2 == 0 ? 1_000 : 2_000;
    return "{\"limits\":[{\"name\":\"per-tenant\",\"by\":\"tenant\",\"rate\":" + rate + "}]}";
  }

  /** Every client holds the policy's first version and has opened its watch stream. */
  private static void awaitReady(List<TenantryClient> clients, PolicyArrivals arrivals, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrivals.ready() < clients.size() || !clients.stream().allMatch(c -> c.stats().watchConnects() > 0)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(arrivals.ready() + " of " + clients.size() + " clients ready after " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /**
   * @param cpu    the control plane's CPU time over the counted changes
   * @param sdkCpu this JVM's (the clients' and the driver's) CPU time over the counted changes
   */
  private void report(String scenario, PolicyArrivals arrivals, long[] sent, long[] answered, int warmup, int n,
      long cpu, long sdkCpu, boolean all, Duration settle) {
    Histogram put = new Histogram(3_600_000_000L, 3);
    Histogram last = new Histogram(3_600_000_000L, 3);
    Histogram each = new Histogram(3_600_000_000L, 3);
    long missed = 0;
    for (int c = warmup; c < sent.length; c++) {
      put.recordValue(Math.max(0, (answered[c] - sent[c]) / 1000));
      long latest = 0;
      for (int i = 0; i < n; i++) {
        long at = arrivals.at(c, i);
        if (at == 0) {
          missed++;
        } else {
          each.recordValue(Math.max(0, (at - sent[c]) / 1000));
          latest = Math.max(latest, at);
        }
      }
      if (arrivals.arrived(c) == n) {
        last.recordValue(Math.max(0, (latest - sent[c]) / 1000));
      }
    }
    if (!all) {
      log.println("  " + missed + " arrivals missing after " + settle);
    }
    int changes = sent.length - warmup;
    add(scenario, "last_p50_ms", last.getValueAtPercentile(50) / 1000.0, "ms");
    add(scenario, "last_p99_ms", last.getValueAtPercentile(99) / 1000.0, "ms");
    add(scenario, "last_max_ms", last.getMaxValue() / 1000.0, "ms");
    add(scenario, "each_p50_ms", each.getValueAtPercentile(50) / 1000.0, "ms");
    add(scenario, "each_p99_ms", each.getValueAtPercentile(99) / 1000.0, "ms");
    add(scenario, "each_max_ms", each.getMaxValue() / 1000.0, "ms");
    // the write's round trip (validated, stored, then answered): the control plane's share before any delivery
    add(scenario, "put_p50_ms", put.getValueAtPercentile(50) / 1000.0, "ms");
    add(scenario, "changes", changes, "");
    add(scenario, "missed", missed, "");
    long deliveries = (long) changes * n - missed;
    add(scenario, "deliveries_per_cpu_s", cpu == 0 ? Double.NaN : deliveries * 1e9 / cpu, "1/cpu-s");
    // what one SDK spends to receive and apply one change (stream read, parse, compile): on 2 shared cores, N
    // clients applying each change at once is N times this, which bounds last_* long before the server does
    add(scenario, "sdk_cpu_us_per_apply", deliveries == 0 ? Double.NaN : sdkCpu / 1000.0 / deliveries, "us");
  }

  private void add(String scenario, String metric, double value, String unit) {
    results.add(SYSTEM, scenario, metric, value, unit);
  }

  static String baseUri(TenantryAdmin admin) {
    InetSocketAddress a = admin.address();
    return "http://" + a.getHostString() + ":" + a.getPort();
  }

  /** Closes the clients in parallel: each close joins its watch thread. */
  private static void closeAll(List<TenantryClient> clients) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (TenantryClient c : clients) {
        done.add(pool.submit(c::close));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          // a client that fails to close does not change the figures
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void closeQuietly(HttpClient client) {
    if (client instanceof AutoCloseable c) { // JDK 21+
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** Threads and heap of this JVM, the heap after a collection was asked for. */
  record Footprint(int threads, long heapBytes) {
    static Footprint now() {
      System.gc();
      return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
  }

  /** The figures of {@link #run} as a Markdown table, for docs/BENCHMARKS.md. */
  static String markdown(List<Figure> figures) {
    StringBuilder b = new StringBuilder();
    b.append("| SDK clients | change → last SDK p50 / p99 / max (ms) | → each SDK p50 / p99 / max (ms) | PUT p50 (ms) | changes |"
        + " missed | SDK CPU per change applied (µs) | threads, heap per client |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Figure f : figures) {
      if (f.scenario().startsWith("policy@") && f.metric().equals("last_p50_ms")) {
        String s = f.scenario();
        b.append("| ").append(s.substring("policy@".length())).append(" | ")
            .append(three(figures, s, "last_p50_ms", "last_p99_ms", "last_max_ms")).append(" | ")
            .append(three(figures, s, "each_p50_ms", "each_p99_ms", "each_max_ms")).append(" | ")
            .append(value(figures, s, "put_p50_ms")).append(" | ")
            .append(value(figures, s, "changes")).append(" | ").append(value(figures, s, "missed")).append(" | ")
            .append(value(figures, s, "sdk_cpu_us_per_apply")).append(" | ")
            .append(value(figures, s, "threads_per_client")).append(", ")
            .append(value(figures, s, "heap_kb_per_client")).append(" KiB |\n");
      }
    }
    if (figures.stream().anyMatch(f -> f.scenario().equals("bluegreen"))) {
      b.append("\n| route switched under load | first call on the new colour p50 / max (ms) | switches | calls |"
          + " failed calls | calls on the old colour after the first new one |\n|---|---:|---:|---:|---:|---:|\n");
      b.append("| blue ↔ green, one caller | ").append(value(figures, "bluegreen", "first_new_p50_ms")).append(" / ")
          .append(value(figures, "bluegreen", "first_new_max_ms")).append(" | ")
          .append(value(figures, "bluegreen", "switches")).append(" | ").append(value(figures, "bluegreen", "calls"))
          .append(" | ").append(value(figures, "bluegreen", "failed")).append(" | ")
          .append(value(figures, "bluegreen", "stale_calls")).append(" |\n");
    }
    return b.toString();
  }

  private static String three(List<Figure> figures, String scenario, String a, String b, String c) {
    return value(figures, scenario, a) + " / " + value(figures, scenario, b) + " / " + value(figures, scenario, c);
  }

  private static String value(List<Figure> figures, String scenario, String metric) {
    return figures.stream().filter(f -> f.scenario().equals(scenario) && f.metric().equals(metric))
        .reduce((x, y) -> y).map(f -> Figure.format(f.value())).orElse("-");
  }

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.contains("--help")) {
      System.out.print(USAGE);
      return;
    }
    Settings settings = (a.contains("--smoke") ? Settings.smoke() : Settings.full())
        .withClients(option(a, "--clients") == null ? null
            : Arrays.stream(option(a, "--clients").split(",")).map(String::trim).map(Integer::valueOf).toList());
    Path work = Path.of(option(a, "--work") == null ? "target/bench-policy" : option(a, "--work")).toAbsolutePath();
    Files.createDirectories(work);
    Path tsv = work.resolve("policy-results.tsv");
    Files.deleteIfExists(tsv);
    Results results = new Results(System.out, tsv);
    String key = "tnt_bench_" + UUID.randomUUID().toString().replace("-", "");
    long t = System.nanoTime();
    String jar = option(a, "--server-jar");
    if (jar != null) {
      Servers servers = new Servers(work, List.of(), Path.of(jar), null, null);
      try (ServerProcess p = servers.tenantry("tenantry-policy", key, List.of())) {
        run(new TenantryAdmin(p.address(), key), key, new ProcessProbe(p.pid()), settings, results, System.out);
      }
    } else {
      ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0)
          .dataDir(Files.createTempDirectory(work, "tenantry-data-")).adminKey(key).build();
      try (TenantryServer s = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
        run(new TenantryAdmin(new InetSocketAddress("127.0.0.1", s.port()), key), key,
            new ProcessProbe(ProcessHandle.current().pid()), settings, results, System.out);
      }
    }
    String md = markdown(results.figures());
    Files.writeString(work.resolve("policy.md"), md);
    System.out.printf("%npolicy benchmarks took %.0f s%n%n%s%nwrote %s and %s%n", (System.nanoTime() - t) / 1e9, md,
        tsv, work.resolve("policy.md"));
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }
}
