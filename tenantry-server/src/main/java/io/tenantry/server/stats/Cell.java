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
    calls = plus(calls, e.calls());
    errors = plus(errors, e.errors());
    rejections = plus(rejections, e.rejections());
    retries = plus(retries, e.retries());
    for (int i = 0; i < latency.length; i++) {
      latency[i] = plus(latency[i], e.latency(i));
    }
  }

  void add(Cell c) {
    calls = plus(calls, c.calls);
    errors = plus(errors, c.errors);
    rejections = plus(rejections, c.rejections);
    retries = plus(retries, c.retries);
    for (int i = 0; i < latency.length; i++) {
      latency[i] = plus(latency[i], c.latency[i]);
    }
  }

  /** A sum that stops at the largest long: hostile reports of huge counts cannot wrap it negative. */
  private static long plus(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
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
