package io.tenantry.client.internal.metrics;

import io.tenantry.api.stats.LatencyBuckets;
import io.tenantry.api.stats.StatsEntry;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** One tenant's counts on one side over the current interval. Thread-safe; counting allocates nothing. */
final class Tally {
  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final AtomicLongArray latency = new AtomicLongArray(LatencyBuckets.COUNT);

  void call() {
    calls.increment();
  }

  void error() {
    errors.increment();
  }

  void rejection() {
    rejections.increment();
  }

  void retry() {
    retries.increment();
  }

  void latency(long nanos) {
    latency.incrementAndGet(LatencyBuckets.bucketOf(nanos / 1000));
  }

  /**
   * What was counted since the last drain, as an entry (null if nothing was), and zero again. Counts made while
   * it drains land in this interval or the next, never in neither.
   */
  StatsEntry drain(String service, String tenant) {
    long n = calls.sumThenReset();
    long e = errors.sumThenReset();
    long r = rejections.sumThenReset();
    long t = retries.sumThenReset();
    long[] h = new long[LatencyBuckets.COUNT];
    long samples = 0;
    for (int i = 0; i < h.length; i++) {
      h[i] = latency.getAndSet(i, 0);
      samples += h[i];
    }
    if (n == 0 && t == 0 && samples == 0) {
      return null;
    }
    // a count made between two reads may show up before its call: keep the entry consistent
    return new StatsEntry(service, tenant, Math.max(n, Math.max(e, r)), e, r, t, h);
  }
}
