package io.tenantry.server.stats;

import io.tenantry.api.stats.LatencyBuckets;
import io.tenantry.api.stats.Red;
import io.tenantry.api.stats.StatsEntry;
import java.time.Duration;

/** Sums of reported entries: one per key and slot, or a window's total. Not thread-safe (its owner locks). */
final class Cell {
  long calls;
  long errors;
  long rejections;
  long retries;
  final long[] latency = new long[LatencyBuckets.COUNT];

  void add(StatsEntry e) {
    calls += e.calls();
    errors += e.errors();
    rejections += e.rejections();
    retries += e.retries();
    for (int i = 0; i < latency.length; i++) {
      latency[i] += e.latency(i);
    }
  }

  void add(Cell c) {
    calls += c.calls;
    errors += c.errors;
    rejections += c.rejections;
    retries += c.retries;
    for (int i = 0; i < latency.length; i++) {
      latency[i] += c.latency[i];
    }
  }

  StatsTotals totals() {
    return calls == 0 ? StatsTotals.EMPTY : new StatsTotals(calls, errors, rejections, new LatencyHistogram(latency));
  }

  /** The RED figures of these sums over {@code window}. */
  Red red(Side side, Duration window) {
    LatencyHistogram h = new LatencyHistogram(latency);
    // served: errors among the calls the handler got; called: among the calls made
    long base = side == Side.SERVED ? calls - rejections : calls;
    double seconds = window.toMillis() / 1000.0;
    return new Red(calls, round(calls / seconds), errors, base <= 0 ? 0 : round((double) errors / base), rejections,
        calls == 0 ? 0 : round((double) rejections / calls), retries, h.percentileMillis(0.50),
        h.percentileMillis(0.95), h.percentileMillis(0.99));
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
