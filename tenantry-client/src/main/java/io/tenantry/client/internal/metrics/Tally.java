package io.tenantry.client.internal.metrics;

import io.tenantry.api.stats.LatencyBuckets;
import io.tenantry.api.stats.StatsEntry;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's counts on one side over the current interval. A measured attempt counts once, in the latency
 * histogram; the calls are worked out when the interval is drained (the measured attempts less the retries, plus
 * the calls that were not measured: refusals), so that the hot path pays one atomic increment, not two. Thread-safe;
 * counting allocates nothing.
 */
final class Tally {
  private final LongAdder unmeasured = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final AtomicLongArray latency = new AtomicLongArray(LatencyBuckets.COUNT);

  /** A call with no latency to count (refused before its handler). */
  void unmeasuredCall() {
    unmeasured.increment();
  }

  void error() {
    errors.increment();
  }

  void rejection() {
    rejections.increment();
  }

  /** An attempt after the call's first (it counts its latency too, with {@link #latency}). */
  void retry() {
    retries.increment();
  }

  /** A measured attempt: the first of a call, or a retry told by {@link #retry}. */
  void latency(long nanos) {
    latency.incrementAndGet(LatencyBuckets.bucketOf(nanos / 1000));
  }

  /**
   * What was counted since the last drain, as an entry (null if nothing was), and zero again. Counts made while
   * it drains land in this interval or the next, never in neither.
   */
  StatsEntry drain(String service, String tenant) {
    long u = unmeasured.sumThenReset();
    long e = errors.sumThenReset();
    long r = rejections.sumThenReset();
    long t = retries.sumThenReset();
    long[] h = new long[LatencyBuckets.COUNT];
    long samples = 0;
    for (int i = 0; i < h.length; i++) {
      h[i] = latency.getAndSet(i, 0);
      samples += h[i];
    }
    if (u == 0 && t == 0 && samples == 0) {
      return null;
    }
    long n = u + Math.max(0, samples - t);
    // a count made between two reads may show up before its call: keep the entry consistent
    return new StatsEntry(service, tenant, Math.max(n, Math.max(e, r)), e, r, t, h);
  }
}
