package io.tenantry.client.internal.resilience;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A retry budget per called service (as Finagle's and Envoy's): over a sliding window of the last
 * {@value #WINDOW_SECONDS} seconds, retries may add at most {@code percent}% of the calls made plus
 * {@code minPerSecond × }{@value #WINDOW_SECONDS} (so that low traffic can still retry). A sick service then
 * receives at most that much extra load, however many callers retry.
 *
 * <p>Counts live in one bucket per second (a ring of {@value #WINDOW_SECONDS}); a bucket is cleared when its second
 * comes round again. The check and the count of a retry are not one atomic step: under concurrency the budget may
 * be overshot by about the number of threads retrying at the same instant, which does not matter for a cap of this
 * kind. Thread-safe and lock-free but for the clearing of a bucket once a second; allocation-free once warm.
 *
 * <p>A dry-run cap may be set beside the enforced one: retries over it are counted, not refused.
 */
public final class RetryBudget {
  static final int WINDOW_SECONDS = 10;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** The caps, swapped as one value. {@code shadowPercent < 0}: no dry-run cap. */
  private record Caps(int percent, int minPerSecond, int shadowPercent, int shadowMinPerSecond) {}

  private static final class Bucket {
    volatile long second = Long.MIN_VALUE;
    final LongAdder requests = new LongAdder();
    final LongAdder retries = new LongAdder();
  }

  private final Bucket[] buckets = new Bucket[WINDOW_SECONDS];
  private final LongSupplier nanoTime;
  private final LongAdder allowed = new LongAdder();
  private final LongAdder denied = new LongAdder();
  private final LongAdder wouldDeny = new LongAdder();
  private volatile Caps caps;

  /**
   * @param percent      0 to 100
   * @param minPerSecond 0 or more
   * @param nanoTime     the clock ({@code System::nanoTime} but in tests)
   */
  public RetryBudget(int percent, int minPerSecond, LongSupplier nanoTime) {
    this.nanoTime = java.util.Objects.requireNonNull(nanoTime, "nanoTime");
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Bucket();
    }
    configure(percent, minPerSecond, -1, 0);
  }

  /**
   * Changes the caps; the counts of the window are kept.
   *
   * @param shadowPercent      a dry-run cap counted, not enforced, or -1 for none
   * @param shadowMinPerSecond its minimum per second
   */
  public void configure(int percent, int minPerSecond, int shadowPercent, int shadowMinPerSecond) {
    check("percent", percent);
    if (shadowPercent != -1) {
      check("shadowPercent", shadowPercent);
    }
    if (minPerSecond < 0 || shadowMinPerSecond < 0) {
      throw new IllegalArgumentException("minPerSecond: " + Math.min(minPerSecond, shadowMinPerSecond)
          + " (expected: >= 0)");
    }
    caps = new Caps(percent, minPerSecond, shadowPercent, shadowMinPerSecond);
  }

  private static void check(String name, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException(name + ": " + percent + " (expected: 0 to 100)");
    }
  }

  /** Counts a call (once per call, not per attempt). */
  public void onRequest() {
    onRequest(nanoTime.getAsLong());
  }

  /** Counts a call made at {@code nowNanos} (a reading of the budget's clock the caller already has). */
  public void onRequest(long nowNanos) {
    bucket(Math.floorDiv(nowNanos, NANOS_PER_SECOND)).requests.increment();
  }

  /** True if one more retry fits the budget (and counts it); false if it must not be made. */
  public boolean tryRetry() {
    long now = second();
    long requests = 0;
    long retries = 0;
    for (Bucket b : buckets) {
      if (now - b.second < WINDOW_SECONDS) {
        requests += b.requests.sum();
        retries += b.retries.sum();
      }
    }
    Caps c = caps;
    if (retries >= cap(requests, c.percent, c.minPerSecond)) {
      denied.increment();
      return false;
    }
    if (c.shadowPercent >= 0 && retries >= cap(requests, c.shadowPercent, c.shadowMinPerSecond)) {
      wouldDeny.increment();
    }
    bucket(now).retries.increment();
    allowed.increment();
    return true;
  }

  private static long cap(long requests, int percent, int minPerSecond) {
    return requests * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
  }

  private long second() {
    return Math.floorDiv(nanoTime.getAsLong(), NANOS_PER_SECOND);
  }

  private Bucket bucket(long second) {
    Bucket b = buckets[(int) Math.floorMod(second, (long) WINDOW_SECONDS)];
    if (b.second < second) { // a thread with an older reading of the clock counts in the newer second
      synchronized (b) {
        if (b.second < second) {
          b.requests.reset();
          b.retries.reset();
          b.second = second;
        }
      }
    }
    return b;
  }

  public long allowed() {
    return allowed.sum();
  }

  public long denied() {
    return denied.sum();
  }

  /** Retries a dry-run cap would have refused. */
  public long wouldDeny() {
    return wouldDeny.sum();
  }
}
