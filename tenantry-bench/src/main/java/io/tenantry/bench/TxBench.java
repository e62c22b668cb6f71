package io.tenantry.bench;

import io.tenantry.bench.tx.TxRun;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Global transactions per second against one coordinator: its driver process runs, after an unmeasured warm-up,
 * each kind of transaction ({@code empty}: begin + commit; {@code tcc2}: begin, two TCC branches tried, commit)
 * at each thread count for a fixed time, while this process reads the coordinator's and the driver's CPU time
 * around every run. Not thread-safe.
 */
final class TxBench {
  static final String SCENARIO_PREFIX = "tx.";
  static final List<String> KINDS = List.of("empty", "tcc2");

  /** Thread counts, the warm-up of each kind (at the middle thread count) and each measured run's length. */
  record Settings(List<Integer> threads, Duration warmup, Duration phase) {
    static Settings full() {
      return new Settings(List.of(1, 16, 64), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    static Settings smoke() {
      return new Settings(List.of(1, 4), Duration.ofMillis(500), Duration.ofMillis(500));
    }
  }

  private final Settings settings;
  private final Results results;
  private final PrintStream log;

  TxBench(Settings settings, Results results, PrintStream log) {
    this.settings = settings;
    this.results = results;
    this.log = log;
  }

  static String scenario(String kind, int threads) {
    return SCENARIO_PREFIX + kind + "@" + threads;
  }

  /** Every kind at every thread count, as {@code system}. */
  void run(String system, ProcessProbe server, TxDriverProcess driver) throws IOException, InterruptedException {
    ProcessProbe driverProbe = new ProcessProbe(driver.pid());
    int warmThreads = settings.threads().get(settings.threads().size() / 2);
    for (String kind : KINDS) {
      log.println(system + ": warming up " + kind + " (not measured)");
      TxRun warm = driver.run(kind, warmThreads, settings.warmup());
      if (warm.ops() == 0) {
        throw new IOException(system + " " + kind + ": no transaction completed in the warm-up: " + warm.firstError());
      }
      for (int threads : settings.threads()) {
        long serverBefore = server.cpuNanos();
        long driverBefore = driverProbe.cpuNanos();
        TxRun r = driver.run(kind, threads, settings.phase());
        long serverCpu = server.cpuNanos() - serverBefore;
        long driverCpu = driverProbe.cpuNanos() - driverBefore;
        String s = scenario(kind, threads);
        results.add(system, s, "tx_per_s", r.ops() * 1e9 / r.wallNanos(), "tx/s");
        results.add(system, s, "tx_per_cpu_s", serverCpu == 0 ? Double.NaN : r.ops() * 1e9 / serverCpu,
            "tx per server CPU-s");
        results.add(system, s, "p50_ms", r.p50Micros() / 1000.0, "ms");
        results.add(system, s, "p99_ms", r.p99Micros() / 1000.0, "ms");
        results.add(system, s, "errors", r.errors(), "");
        results.add(system, s, "server_cores", (double) serverCpu / r.wallNanos(), "cores");
        results.add(system, s, "driver_cores", (double) driverCpu / r.wallNanos(), "cores");
        if (r.firstError() != null) {
          log.println(system + " " + s + ": first error: " + r.firstError());
        }
      }
    }
  }
}
