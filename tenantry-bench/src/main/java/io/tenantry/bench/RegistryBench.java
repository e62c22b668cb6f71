package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;

/**
 * The registry load on one server process, growing through sizes: first an unmeasured warm-up on
 * instances of their own (deregistered after it), so that the JIT compilers of a fresh JVM are not
 * billed to the figures (a server runs for days); then, for each size N, register the instances that
 * bring it to N, register all N again, renew their leases (one by one, and in batches where the system
 * has them) and read services; at the end the heap and RSS that hold the largest size. Every phase
 * reports throughput per wall second and per server CPU second. Not thread-safe.
 */
final class RegistryBench {
  private static final IntPredicate SUCCESS = status -> status / 100 == 2;
  /** Warm-up instances are numbered from here, far from the measured ones. */
  private static final long WARM_BASE = 90_000_000L;
  private static final int WARM_INSTANCES = 1_000;
  /** Rounds of registering and deregistering new instances in the warm-up. */
  private static final int NEW_ROUNDS = 10;
  /** Every phase is bounded by time; this bounds its count too. */
  private static final long PASSES = 1_000;

  /**
   * @param connections keep-alive connections of the closed loop
   * @param registerMax the most time the new registrations of one size may take
   * @param warmup      how long the unmeasured mix of every request runs first
   * @param phase       how long each later phase runs
   * @param batchSize   instances per batch heartbeat
   */
  record Settings(int connections, Duration registerMax, Duration warmup, Duration phase, int batchSize) {}

  private final RegistryTarget target;
  private final ProcessProbe server;
  private final Results results;
  private final Settings settings;
  private final PrintStream log;
  private final ClosedLoop loop;

  RegistryBench(RegistryTarget target, ProcessProbe server, Results results, Settings settings, PrintStream log) {
    this.target = target;
    this.server = server;
    this.results = results;
    this.settings = settings;
    this.log = log;
    this.loop = new ClosedLoop(target.address(), settings.connections(), server);
  }

  /** Warms up, runs every phase at each of {@code sizes} (ascending), then measures memory at the last. */
  void run(List<Integer> sizes) throws IOException, InterruptedException {
    target.prepare();
    warmUp();
    OptionalLong heapEmpty = server.heapUsedAfterFullGc();
    long held = 0;
    for (int n : sizes) {
      held = size(held, n);
    }
    int largest = sizes.get(sizes.size() - 1);
    String scenario = "memory@" + largest;
    OptionalLong heap = server.heapUsedAfterFullGc();
    heapEmpty.ifPresent(b -> add(scenario, "heap_empty_mb", b / 1048576.0, "MB"));
    heap.ifPresent(h -> add(scenario, "heap_mb", h / 1048576.0, "MB"));
    if (heap.isPresent() && heapEmpty.isPresent() && held > 0) {
      add(scenario, "bytes_per_instance", (double) (heap.getAsLong() - heapEmpty.getAsLong()) / held, "B");
    }
    add(scenario, "rss_mb", server.rssBytes() / 1048576.0, "MB");
    add(scenario, "instances_held", held, "");
  }

  private void warmUp() throws IOException {
    log.println(target.system() + ": warming up for " + settings.warmup().toSeconds() + " s (not measured)");
    long cpu = server.cpuNanos();
    // New registrations (an instance the server has not seen) take their own path: warm it as well as the
    // rest, or the first measured phase (register.new at the smallest size, a fraction of a second) pays
    // for the JIT compiling it.
    for (int round = 1; round <= NEW_ROUNDS; round++) {
      long base = WARM_BASE + (long) round * WARM_INSTANCES;
      loop.run(WARM_INSTANCES, settings.registerMax(), i -> target.register(base + i), SUCCESS);
      loop.run(WARM_INSTANCES, settings.registerMax(), i -> target.deregister(base + i), SUCCESS);
    }
    loop.run(WARM_INSTANCES, settings.registerMax(), i -> target.register(WARM_BASE + i), SUCCESS);
    int batch = Math.min(settings.batchSize(), WARM_INSTANCES);
    boolean batches = target.heartbeatBatch(WARM_BASE, batch) != null;
    loop.run(PASSES * WARM_INSTANCES, settings.warmup(), i -> {
      long k = WARM_BASE + i / 4 % WARM_INSTANCES;
      return switch ((int) (i % 4)) {
        case 0 -> target.register(k);
        case 1 -> target.heartbeat(k);
        case 2 -> batches ? target.heartbeatBatch(WARM_BASE + i / 4 % (WARM_INSTANCES / batch) * batch, batch)
            : target.heartbeat(k);
        default -> target.read(k);
      };
    }, SUCCESS);
    loop.run(WARM_INSTANCES, settings.registerMax(), i -> target.deregister(WARM_BASE + i), SUCCESS);
    log.printf("  warm-up took %.0f server CPU-s%n", (server.cpuNanos() - cpu) / 1e9);
  }

  /** Grows the registry from {@code held} instances to {@code n} and runs every phase; returns how many it holds. */
  private long size(long held, int n) throws IOException {
    log.println(target.system() + ": registry at " + n + " instances");
    LoadResult added = loop.run(n - held, settings.registerMax(), i -> target.register(held + i), SUCCESS);
    report("register.new@" + n, added);
    long now = held + added.ops();
    if (now < n) {
      log.println("  only " + now + " of " + n + " instances registered within " + settings.registerMax());
    }
    report("register.again@" + n, loop.run(PASSES * n, settings.phase(), i -> target.register(i % n), SUCCESS));
    report("heartbeat@" + n, loop.run(PASSES * n, settings.phase(), i -> target.heartbeat(i % n), SUCCESS));
    int batch = Math.min(settings.batchSize(), n);
    if (target.heartbeatBatch(0, batch) != null) {
      LongFunction<byte[]> batches = k -> target.heartbeatBatch((k * batch) % (n - n % batch), batch);
      LoadResult r = loop.run(PASSES * n / batch, settings.phase(), batches, SUCCESS);
      String scenario = "heartbeat.batch" + batch + "@" + n;
      report(scenario, r);
      add(scenario, "instances_per_s", r.opsPerSecond() * batch, "1/s");
      add(scenario, "instances_per_cpu_s", r.opsPerCpuSecond() * batch, "1/cpu-s");
    }
    report("read@" + n, loop.run(PASSES * n, settings.phase(), i -> target.read((i * 7919) % n), SUCCESS));
    return now;
  }

  private void report(String scenario, LoadResult r) {
    add(scenario, "ops_per_s", r.opsPerSecond(), "1/s");
    add(scenario, "ops_per_cpu_s", r.opsPerCpuSecond(), "1/cpu-s");
    add(scenario, "server_cores", r.serverCores(), "cores");
    add(scenario, "jit_cores", r.jitCores(), "cores");
    add(scenario, "driver_cores", r.driverCores(), "cores");
    add(scenario, "p50_ms", r.latencyMillis(50), "ms");
    add(scenario, "p99_ms", r.latencyMillis(99), "ms");
    add(scenario, "ops", r.ops(), "");
    add(scenario, "errors", r.errors(), "");
    if (r.firstError() != null) {
      log.println("  first error: " + r.firstError());
    }
  }

  private void add(String scenario, String metric, double value, String unit) {
    results.add(target.system(), scenario, metric, value, unit);
  }
}
