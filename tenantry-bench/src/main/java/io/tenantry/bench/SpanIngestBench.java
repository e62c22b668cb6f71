package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
}
