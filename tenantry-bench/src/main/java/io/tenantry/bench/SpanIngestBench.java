package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Span ingestion, Tenantry's collector beside Zipkin's in the same run: the same Zipkin v2 JSON batches
 * ({@link SpanBatches}) posted by a closed loop of N keep-alive connections to each server's
 * {@code POST /api/v2/spans}. Each server is warmed up (which also fills its retention, so the
 * measured phases pay for eviction as a server that runs for days does), then the measured phases
 * alternate between the servers, the order flipping every round, and each figure is the median over
 * the rounds: the machine is shared and noisy. Spans kept are read from each server's own counters
 * after a phase; the last spans sent are read back through the query API. Not thread-safe.
 */
final class SpanIngestBench {
  /** Scenarios of this benchmark start with this; the report gives them their own section. */
  static final String SCENARIO_PREFIX = "ingest.";
  static final String SETUP = SCENARIO_PREFIX + "setup";
  /** The heading of the report's section. */
  static final String HEADING = "## Span ingestion beside Zipkin (issue 5)";
  /** What an overloaded collector answers when it sheds a POST: an answer, not a failure of the run. */
  private static final int SHED = 503;
  /** How long a server may take, after a phase, to count the spans it accepted during it. */
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final long MAX_MICROS = 60_000_000L;

  /**
   * @param connections    concurrent keep-alive connections of the closed loop
   * @param spansPerPost   spans in each POST (whole traces of five)
   * @param maxSpans       the retention of both servers, in spans
   * @param heapMegabytes  the -Xmx of both servers
   * @param warmup         unmeasured load on each server first
   * @param phase          each measured phase
   * @param rounds         measured phases per server
   * @param readbackTraces traces read back from each server at the end
   */
  record Settings(int connections, int spansPerPost, int maxSpans, int heapMegabytes, Duration warmup, Duration phase,
      int rounds, int readbackTraces) {
    static Settings full() {
      return new Settings(8, 50, 100_000, 1024, Duration.ofSeconds(10), Duration.ofSeconds(8), 3, 200);
    }

    String scenario() {
      return SCENARIO_PREFIX + "batch" + spansPerPost;
    }

    /** The JVM options both servers run with. */
    List<String> jvmOptions() {
      return List.of("-Xmx" + heapMegabytes + "m");
    }
  }

  /** One collector and the batches sent to it so far. */
  private static final class Target {
    final SpanCollector collector;
    final SpanBatches batches;
    final ProcessProbe probe;
    final ClosedLoop loop;
    /** The next batch number: every batch is sent once. */
    long next;
    final List<Phase> phases = new ArrayList<>();
    /** Batches the server refused with 503: read back, they would count as lost. */
    final Set<Long> refused = ConcurrentHashMap.newKeySet();

    Target(SpanCollector collector, SpanBatches batches, int connections) {
      this.collector = collector;
      this.batches = batches;
      this.probe = new ProcessProbe(collector.pid());
      this.loop = new ClosedLoop(collector.address(), connections, probe);
    }
  }

  /**
   * What one phase on one server did; {@code acceptedMicros}: the latency of the POSTs answered 2xx (a
   * 503 is answered at once and would flatter the collector that sheds).
   */
  private record Phase(LoadResult load, Histogram acceptedMicros, long spansSent, long spansKept, long postsRefused,
      long cpuNanos) {
    double acceptedMillis(double percentile) {
      return acceptedMicros.getTotalCount() == 0 ? Double.NaN
          : acceptedMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double spansPerSecond() {
      return spansKept * 1e9 / load.wallNanos();
    }

    double spansPerCpuSecond() {
      return cpuNanos == 0 ? Double.NaN : spansKept * 1e9 / cpuNanos;
    }
  }

  private final Settings settings;
  private final Results results;
  private final PrintStream log;

  SpanIngestBench(Settings settings, Results results, PrintStream log) {
    this.settings = settings;
    this.results = results;
    this.log = log;
  }

  /**
   * Warms up and measures every collector; each gets the same batches (batch n is the same bytes for
   * all of them but for the Host header), ids starting at {@code traceIdHigh}, times at {@code baseMicros}.
   */
  void run(List<SpanCollector> collectors, long traceIdHigh, long baseMicros) throws IOException, InterruptedException {
    List<Target> targets = new ArrayList<>();
    for (SpanCollector c : collectors) {
      targets.add(new Target(c, new SpanBatches(c.requests(), settings.spansPerPost(), traceIdHigh, baseMicros),
          settings.connections()));
    }
    for (Target t : targets) {
      warmUp(t);
    }
    for (int round = 0; round < settings.rounds(); round++) {
      List<Target> order = new ArrayList<>(targets);
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (Target t : order) {
        Phase p = phase(t, settings.phase());
        t.phases.add(p);
        log.printf(Locale.ROOT, "%s: round %d: %.0f spans/s, %.0f spans/cpu-s, p99 %.2f ms, %d dropped%s%n",
            t.collector.system(), round + 1, p.spansPerSecond(), p.spansPerCpuSecond(), p.load().latencyMillis(99),
            p.spansSent() - p.spansKept(), p.load().firstError() == null ? "" : " (first error: " + p.load().firstError()
                + ")");
      }
    }
    for (Target t : targets) {
      report(t);
    }
    // the set-up as figures, so that the report written again from results.tsv can describe it
    String system = targets.get(0).collector.system();
    add(system, SETUP, "connections", settings.connections(), "");
    add(system, SETUP, "spans_per_post", settings.spansPerPost(), "");
    add(system, SETUP, "max_spans", settings.maxSpans(), "");
    add(system, SETUP, "heap_mb", settings.heapMegabytes(), "MB");
    add(system, SETUP, "rounds", settings.rounds(), "");
    add(system, SETUP, "phase_s", settings.phase().toMillis() / 1000.0, "s");
    add(system, SETUP, "warmup_s", settings.warmup().toMillis() / 1000.0, "s");
  }

  /**
   * Unmeasured load for the warm-up's length, and longer (up to three times it) until twice the
   * retention has been sent: a slow or busy machine must not leave a server's retention unfilled.
   */
  private void warmUp(Target t) throws IOException, InterruptedException {
    log.println(t.collector.system() + ": warming up span ingestion for " + settings.warmup().toSeconds()
        + " s or more (not measured; retention " + settings.maxSpans() + " spans)");
    long start = System.nanoTime();
    long sent = phase(t, settings.warmup()).spansSent();
    Duration more = Duration.ofMillis(Math.max(100, settings.warmup().toMillis() / 5));
    while (sent < 2L * settings.maxSpans() && System.nanoTime() - start < 3 * settings.warmup().toNanos()) {
      sent += phase(t, more).spansSent();
    }
    log.printf(Locale.ROOT, "  %d spans sent in %.0f s%n", sent, (System.nanoTime() - start) / 1e9);
    if (sent < settings.maxSpans()) {
      log.println("  the warm-up did not fill the retention: the measured phases evict less than a full server");
    }
  }

  /** Sends batches for {@code length}, then waits until the server has counted what it accepted. */
  private Phase phase(Target t, Duration length) throws IOException, InterruptedException {
    long first = t.next;
    AtomicLong highest = new AtomicLong(-1);
    AtomicLong refused = new AtomicLong();
    Histogram acceptedMicros = new ConcurrentHistogram(MAX_MICROS, 2);
    // the closed loop asks for a request, sends it and tests its status on one thread: this is how the
    // benchmark learns which batch a 503 refused, and how long an accepted one took (batch, send time)
    ThreadLocal<long[]> sending = ThreadLocal.withInitial(() -> new long[2]);
    IntPredicate answered = status -> {
      long[] sent = sending.get();
      if (status == SHED) {
        refused.incrementAndGet();
        t.refused.add(sent[0]);
      } else if (status / 100 == 2) {
        acceptedMicros.recordValue(Math.min((System.nanoTime() - sent[1]) / 1000, MAX_MICROS));
      }
      return status / 100 == 2 || status == SHED;
    };
    long keptBefore = t.collector.counts().kept();
    long cpuBefore = t.probe.cpuNanos();
    LoadResult load = t.loop.run(Long.MAX_VALUE, length, i -> {
      highest.accumulateAndGet(i, Math::max);
      byte[] request = t.batches.request(first + i);
      long[] sent = sending.get();
      sent[0] = first + i;
      sent[1] = System.nanoTime();
      return request;
    }, answered);
    t.next = first + highest.get() + 1;
    long accepted = (load.ops() - refused.get()) * settings.spansPerPost();
    long kept = settled(t.collector, keptBefore, accepted);
    long cpu = t.probe.cpuNanos() - cpuBefore;
    return new Phase(load, acceptedMicros, (t.next - first) * settings.spansPerPost(), kept, refused.get(), cpu);
  }

  /**
   * The spans kept since {@code before}, once the server has counted all it accepted, or once nothing is
   * pending and the count has stopped moving (it dropped some), or after {@link #SETTLE}.
   */
  private static long settled(SpanCollector c, long before, long accepted) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long last = -1;
    while (true) {
      SpanCollector.Counts now = c.counts();
      long kept = now.kept() - before;
      if (kept >= accepted || now.pending() == 0 && kept == last || System.nanoTime() > deadline) {
        return kept;
      }
      last = kept;
      Thread.sleep(200); // a server that stores asynchronously catches up; polling it faster would cost it CPU
    }
  }

  private void report(Target t) throws IOException {
    String s = settings.scenario();
    List<Phase> ps = t.phases;
    add(t, s, "spans_per_s", median(ps.stream().map(Phase::spansPerSecond).toList()), "1/s");
    List<Double> perCpu = ps.stream().map(Phase::spansPerCpuSecond).toList();
    add(t, s, "spans_per_cpu_s", median(perCpu), "1/cpu-s");
    add(t, s, "spans_per_cpu_s_min", perCpu.stream().mapToDouble(d -> d).min().orElse(Double.NaN), "1/cpu-s");
    add(t, s, "spans_per_cpu_s_max", perCpu.stream().mapToDouble(d -> d).max().orElse(Double.NaN), "1/cpu-s");
    add(t, s, "p50_ms", median(ps.stream().map(p -> p.acceptedMillis(50)).toList()), "ms");
    add(t, s, "p99_ms", median(ps.stream().map(p -> p.acceptedMillis(99)).toList()), "ms");
    add(t, s, "p99_ms_max", ps.stream().mapToDouble(p -> p.acceptedMillis(99)).max().orElse(Double.NaN), "ms");
    add(t, s, "p99_all_ms", median(ps.stream().map(p -> p.load().latencyMillis(99)).toList()), "ms");
    add(t, s, "server_cores", median(ps.stream().map(p -> p.load().serverCores()).toList()), "cores");
    add(t, s, "driver_cores", median(ps.stream().map(p -> p.load().driverCores()).toList()), "cores");
    add(t, s, "spans_sent", ps.stream().mapToLong(Phase::spansSent).sum(), "");
    add(t, s, "spans_dropped", ps.stream().mapToLong(p -> Math.max(0, p.spansSent() - p.spansKept())).sum(), "");
    add(t, s, "posts_refused", ps.stream().mapToLong(Phase::postsRefused).sum(), "");
    add(t, s, "errors", ps.stream().mapToLong(p -> p.load().errors()).sum(), "");
    readBack(t, s);
  }

  /**
   * Reads back the traces of the last batches the server accepted (the newest: within any retention) and
   * counts the spans missing: accepted, then lost.
   */
  private void readBack(Target t, String scenario) throws IOException {
    int perBatch = settings.spansPerPost() / SpanBatches.SPANS_PER_TRACE;
    long missing = 0;
    int traces = 0;
    for (long n = t.next - 1; n >= 0 && traces < settings.readbackTraces(); n--) {
      if (t.refused.contains(n)) {
        continue;
      }
      for (int trace = 0; trace < perBatch && traces < settings.readbackTraces(); trace++, traces++) {
        missing += SpanBatches.SPANS_PER_TRACE - t.collector.spansOfTrace(t.batches.traceId(n, trace));
      }
    }
    add(t, scenario, "readback_traces", traces, "");
    add(t, scenario, "readback_missing_spans", missing, "");
  }

  private void add(Target t, String scenario, String metric, double value, String unit) {
    add(t.collector.system(), scenario, metric, value, unit);
  }

  private void add(String system, String scenario, String metric, double value, String unit) {
    results.add(system, scenario, metric, value, unit);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  // ---- the report's section ----

  /** The figures of this benchmark: the report gives them their own section. */
  static boolean owns(Figure f) {
    return f.scenario().startsWith(SCENARIO_PREFIX);
  }

  /**
   * The section of the report, or nothing if the benchmark did not run; {@code measured} says when and
   * how it ran when that differs from the report's header (null otherwise).
   */
  static String markdown(List<Figure> figures, String measured) {
    Optional<String> scenario = figures.stream().filter(f -> owns(f) && !f.scenario().equals(SETUP))
        .map(Figure::scenario).findFirst();
    if (scenario.isEmpty()) {
      return "";
    }
    String s = scenario.get();
    StringBuilder b = new StringBuilder(HEADING).append("\n\n");
    if (measured != null) {
      b.append(measured).append("\n\n");
    }
    b.append(String.format(Locale.ROOT, METHOD, setup(figures, "spans_per_post"), setup(figures, "connections"),
        setup(figures, "max_spans"), setup(figures, "heap_mb"), setup(figures, "warmup_s"), setup(figures, "rounds"),
        setup(figures, "phase_s")));
    b.append("| ").append(setup(figures, "spans_per_post")).append(" spans per POST | Tenantry | Zipkin | Tenantry / Zipkin |\n")
        .append("|---|---:|---:|---:|\n");
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("spans_per_s", "spans per second (median)");
    rows.put("spans_per_cpu_s", "spans per server CPU-second (median)");
    rows.put("spans_per_cpu_s_min", "… lowest round");
    rows.put("spans_per_cpu_s_max", "… highest round");
    rows.put("p50_ms", "p50 of an accepted POST, ms (median)");
    rows.put("p99_ms", "p99 of an accepted POST, ms (median)");
    rows.put("p99_ms_max", "… highest round");
    rows.put("p99_all_ms", "p99 of every POST, 503s included, ms (median)");
    rows.put("server_cores", "server cores busy");
    rows.put("driver_cores", "load generator cores busy");
    rows.put("spans_sent", "spans sent (measured phases)");
    rows.put("spans_dropped", "spans dropped (sent − kept)");
    rows.put("posts_refused", "POSTs shed with 503 (their spans count as dropped)");
    rows.put("errors", "POSTs failed otherwise");
    rows.put("readback_missing_spans", "spans accepted, then missing when read back");
    rows.forEach((metric, label) -> {
      Optional<Figure> t = find(figures, "tenantry", s, metric);
      Optional<Figure> z = find(figures, "zipkin", s, metric);
      String ratio = t.isPresent() && z.isPresent() && z.get().value() != 0 && COMPARED.contains(metric)
          ? Figure.format(t.get().value() / z.get().value()) + "×" : "";
      b.append("| ").append(label).append(" | ").append(t.map(f -> Figure.format(f.value())).orElse("-"))
          .append(" | ").append(z.map(f -> Figure.format(f.value())).orElse("-")).append(" | ").append(ratio)
          .append(" |\n");
    });
    find(figures, "tenantry", s, "readback_traces").ifPresent(f -> b.append("\nRead back: the last ")
        .append(Figure.format(f.value())).append(" traces each server accepted, through `GET /api/v2/trace/{id}`. A POST shed with 503 is answered at once: "
        + "it counts in the last latency row only, and its spans as dropped (a Zipkin reporter does not send them "
        + "again).\n"));
    b.append("\n```\n");
    targets(figures, s).forEach(t -> b.append(t).append('\n'));
    b.append("```\n\n");
    return b.toString();
  }

  /** The rows that get a ratio: rates (above 1× is Tenantry ahead) and latencies (below 1× is Tenantry faster). */
  private static final Set<String> COMPARED = Set.of("spans_per_s", "spans_per_cpu_s",
      "spans_per_cpu_s_min", "spans_per_cpu_s_max", "p50_ms", "p99_ms", "p99_ms_max", "p99_all_ms");

  /** The bar of issue 5, MET or MISSED with the figures, or NOT MEASURED. */
  static List<String> targets(List<Figure> figures, String scenario) {
    List<String> out = new ArrayList<>();
    Optional<Figure> t = find(figures, "tenantry", scenario, "spans_per_cpu_s");
    Optional<Figure> z = find(figures, "zipkin", scenario, "spans_per_cpu_s");
    String cpu = "spans per server CPU-second at least Zipkin's, tenant scoping on";
    out.add(t.isEmpty() || z.isEmpty() ? "NOT MEASURED  " + cpu : verdict(t.get().value() >= z.get().value(), cpu,
        Figure.format(t.get().value()) + " vs " + Figure.format(z.get().value()) + " = "
            + Figure.format(t.get().value() / z.get().value()) + "x"));
    Optional<Figure> tp = find(figures, "tenantry", scenario, "p99_ms");
    Optional<Figure> zp = find(figures, "zipkin", scenario, "p99_ms");
    String p99 = "p99 of an accepted POST below Zipkin's";
    out.add(tp.isEmpty() || zp.isEmpty() ? "NOT MEASURED  " + p99 : verdict(tp.get().value() < zp.get().value(), p99,
        Figure.format(tp.get().value()) + " ms vs " + Figure.format(zp.get().value()) + " ms"));
    Optional<Figure> td = find(figures, "tenantry", scenario, "spans_dropped");
    Optional<Figure> tm = find(figures, "tenantry", scenario, "readback_missing_spans");
    String kept = "no span dropped (shed with 503, or accepted and lost)";
    out.add(td.isEmpty() || tm.isEmpty() ? "NOT MEASURED  " + kept : verdict(td.get().value() == 0
        && tm.get().value() == 0, kept, Figure.format(td.get().value()) + " dropped, " + Figure.format(tm.get().value())
        + " missing"));
    return out;
  }

  private static String verdict(boolean met, String label, String figures) {
    return (met ? "MET           " : "MISSED        ") + label + ": " + figures;
  }

  private static String setup(List<Figure> figures, String metric) {
    return figures.stream().filter(f -> f.scenario().equals(SETUP) && f.metric().equals(metric))
        .map(f -> metric.equals("max_spans") ? String.format(Locale.ROOT, "%,d", (long) f.value()) : Figure.format(f.value()))
        .reduce((a, b) -> b).orElse("?");
  }

  private static Optional<Figure> find(List<Figure> figures, String system, String scenario, String metric) {
    return figures.stream().filter(f -> f.system().equals(system) && f.scenario().equals(scenario)
        && f.metric().equals(metric)).reduce((a, b) -> b);
  }

  private static final String METHOD = """
      Zipkin's published server (`io.zipkin:zipkin-server:3.6.1:jar:exec`, `STORAGE_TYPE=mem`) and the
      Tenantry control plane (trace storage in memory), each in its own process on 127.0.0.1, in the same
      run. Both get the same bytes: Zipkin v2 JSON batches of %s spans, whole traces of five spans
      (gateway → order → payment, each hop a client span and the callee's shared server span, with the
      SDK's tags and `tenant.id` over 12 tenants), unique ids, posted to `POST /api/v2/spans` with the same
      `Authorization: Bearer` header (a namespace `service` key for Tenantry; Zipkin ignores it) by a closed
      loop of %s keep-alive HTTP/1.1 connections. Both keep at most %s spans and run with `-Xmx%sm`.
      Each server first gets %s s of unmeasured load, longer if needed to send twice the retention (so
      the measured phases pay for eviction, as a server that has run for days does); then %s measured
      phases of %s s per server, alternating between the servers and flipping the order every round.
      Figures are medians over the rounds. Spans kept are read from each server's counters after each
      phase (Zipkin: `zipkin_collector_spans_total` − `zipkin_collector_spans_dropped_total`; Tenantry:
      `tenantry_spans_accepted_total` − `tenantry_spans_dropped_total` − `tenantry_spans_intake`, the
      spans accepted but not yet indexed); a server's CPU time runs from the phase's start until the
      server has counted every span it accepted. Tenantry / Zipkin above 1× is Tenantry ahead for a
      rate; below 1× is Tenantry faster for milliseconds.

      """;
}
