package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Watch fan-out: W watchers subscribe to one topic, then changes are made one at a time at a fixed
 * spacing; for each change, the time from just before its write is sent to the moment the last
 * watcher has it. Reported as p50/p99/max over the changes, with the per-delivery distribution and
 * the server's CPU time per delivery beside it.
 */
final class FanoutBench {
  /**
   * @param changes how many changes are made
   * @param spacing time between the starts of two changes
   * @param settle  how long the last change may take to reach everyone before it counts as missed
   */
  record Settings(int changes, Duration spacing, Duration settle, Duration subscribe) {}

  private final WatchTarget target;
  private final ProcessProbe server;
  private final Results results;
  private final Settings settings;
  private final PrintStream log;

  FanoutBench(WatchTarget target, ProcessProbe server, Results results, Settings settings, PrintStream log) {
    this.target = target;
    this.server = server;
    this.results = results;
    this.settings = settings;
    this.log = log;
  }

  /** Runs one fan-out with {@code watchers} streams on a fresh topic; results filed under {@code scenario}. */
  void run(String scenario, String topic, int watchers) throws IOException, InterruptedException {
    log.println(target.system() + ": " + scenario + " with " + watchers + " watchers");
    target.prepare();
    int changes = settings.changes();
    try (WatchStreams streams = new WatchStreams(target.address(), target.watchRequest(topic), target.readyMarker(),
        target.tokens(topic), watchers, changes);
        HttpConnection writer = HttpConnection.open(target.address()).keepingBodies()) {
      long t = System.nanoTime();
      streams.open(settings.subscribe());
      add(scenario, "subscribe_s", (System.nanoTime() - t) / 1e9, "s");
      Thread.sleep(200); // let the last subscriptions settle on the server before the first change
      long[] sent = new long[changes];
      long cpuBefore = server.cpuNanos();
      long start = System.nanoTime();
      for (int s = 0; s < changes; s++) {
        long due = start + s * settings.spacing().toNanos();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        sent[s] = System.nanoTime();
        int status = writer.exchange(target.change(topic, s));
        if (status / 100 != 2) {
          throw new IOException(target.system() + " change " + s + " answered " + status + ": " + writer.body());
        }
      }
      boolean all = streams.await(changes, settings.settle());
      long cpu = server.cpuNanos() - cpuBefore;
      Histogram last = new Histogram(3_600_000_000L, 3);
      Histogram each = new Histogram(3_600_000_000L, 3);
      long missed = 0;
      for (int s = 0; s < changes; s++) {
        long latest = 0;
        for (long at : streams.arrivals(s)) {
          if (at == 0) {
            missed++;
          } else {
            each.recordValue(Math.max(0, (at - sent[s]) / 1000));
            latest = Math.max(latest, at);
          }
        }
        if (streams.arrived(s) == watchers) {
          last.recordValue(Math.max(0, (latest - sent[s]) / 1000));
        }
      }
      if (!all) {
        log.println("  " + missed + " deliveries missing after " + settings.settle());
      }
      add(scenario, "last_p50_ms", last.getValueAtPercentile(50) / 1000.0, "ms");
      add(scenario, "last_p99_ms", last.getValueAtPercentile(99) / 1000.0, "ms");
      add(scenario, "last_max_ms", last.getMaxValue() / 1000.0, "ms");
      add(scenario, "each_p50_ms", each.getValueAtPercentile(50) / 1000.0, "ms");
      add(scenario, "each_p99_ms", each.getValueAtPercentile(99) / 1000.0, "ms");
      add(scenario, "changes", changes, "");
      add(scenario, "missed", missed, "");
      add(scenario, "dropped_streams", streams.dropped(), "");
      long deliveries = (long) changes * watchers - missed;
      add(scenario, "deliveries_per_cpu_s", cpu == 0 ? Double.NaN : deliveries * 1e9 / cpu, "1/cpu-s");
    }
  }

  private void add(String scenario, String metric, double value, String unit) {
    results.add(target.system(), scenario, metric, value, unit);
  }
}
