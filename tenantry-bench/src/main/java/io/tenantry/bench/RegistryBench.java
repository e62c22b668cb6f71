package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;

/**
 * The registry load at one size: register N new instances, warm up, register them again, renew their leases
 * (one by one, and in batches where the system has them), read services; then, when asked, the heap
 * and RSS that hold them. Every phase reports throughput per wall second and per server CPU second.
 */
final class RegistryBench {
  private static final IntPredicate SUCCESS = status -> status / 100 == 2;

  /**
   * @param connections keep-alive connections of the closed loop
   * @param registerMax the most time the first registration of all N may take
   * @param warmup      how long a mix of every later request runs, unmeasured, before them: the JIT
   *                    compilers of a fresh JVM would otherwise be billed to the first phases
   * @param phase       how long each later phase runs
   * @param batchSize   instances per batch heartbeat
   */
  record Settings(int connections, Duration registerMax, Duration warmup, Duration phase, int batchSize) {}

  private final RegistryTarget target;
  private final ProcessProbe server;
  private final Results results;
  private final Settings settings;
  private final PrintStream log;

  RegistryBench(RegistryTarget target, ProcessProbe server, Results results, Settings settings, PrintStream log) {
    this.target = target;
    this.server = server;
    this.results = results;
    this.settings = settings;
    this.log = log;
  }

  /** Runs every phase at {@code n} instances; with {@code memory}, measures the heap before and after. */
  void run(int n, boolean memory) throws IOException, InterruptedException {
    log.println(target.system() + ": registry at " + n + " instances");
    target.prepare();
    OptionalLong heapBefore = memory ? server.heapUsedAfterFullGc() : OptionalLong.empty();
    ClosedLoop loop = new ClosedLoop(target.address(), settings.connections(), server);
    long passes = 1_000;
    LoadResult first = loop.run(n, settings.registerMax(), target::register, SUCCESS);
    report("register.new@" + n, first);
    if (first.ops() < n) {
      log.println("  only " + first.ops() + " of " + n + " registrations within " + settings.registerMax());
    }
    loop.run(passes * n, settings.warmup(), i -> switch ((int) (i % 3)) {
      case 0 -> target.register(i / 3 % n);
      case 1 -> target.heartbeat(i / 3 % n);
      default -> target.read(i / 3 % n);
    }, SUCCESS);
    report("register.again@" + n, loop.run(passes * n, settings.phase(), i -> target.register(i % n), SUCCESS));
    report("heartbeat@" + n, loop.run(passes * n, settings.phase(), i -> target.heartbeat(i % n), SUCCESS));
    int batch = Math.min(settings.batchSize(), n);
    if (target.heartbeatBatch(0, batch) != null) {
      LongFunction<byte[]> batches = k -> target.heartbeatBatch((k * batch) % (n - n % batch), batch);
      LoadResult r = loop.run(passes * n / batch, settings.phase(), batches, SUCCESS);
      report("heartbeat.batch" + batch + "@" + n, r);
      add("heartbeat.batch" + batch + "@" + n, "instances_per_s", r.opsPerSecond() * batch, "1/s");
      add("heartbeat.batch" + batch + "@" + n, "instances_per_cpu_s", r.opsPerCpuSecond() * batch, "1/cpu-s");
    }
    report("read@" + n, loop.run(passes * n, settings.phase(), i -> target.read((i * 7919) % n), SUCCESS));
    if (memory) {
      OptionalLong heap = server.heapUsedAfterFullGc();
      String scenario = "memory@" + n;
      heapBefore.ifPresent(b -> add(scenario, "heap_empty_mb", b / 1048576.0, "MB"));
      heap.ifPresent(h -> add(scenario, "heap_mb", h / 1048576.0, "MB"));
      if (heap.isPresent() && heapBefore.isPresent()) {
        add(scenario, "bytes_per_instance", (double) (heap.getAsLong() - heapBefore.getAsLong()) / Math.max(1, first.ops()),
            "B");
      }
      add(scenario, "rss_mb", server.rssBytes() / 1048576.0, "MB");
      add(scenario, "instances_held", first.ops(), "");
    }
  }

  private void report(String scenario, LoadResult r) {
    add(scenario, "ops_per_s", r.opsPerSecond(), "1/s");
    add(scenario, "ops_per_cpu_s", r.opsPerCpuSecond(), "1/cpu-s");
    add(scenario, "server_cores", r.serverCores(), "cores");
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
