package io.tenantry.api.stats;

/**
 * The fixed latency buckets of the per-tenant statistics, shared by the SDK that counts and the control plane
 * that adds reports up (so the reports of many instances add bucket by bucket). Bucket {@code i} counts
 * latencies up to {@link #BOUNDS_MICROS}{@code [i]}; the last bucket ({@link #COUNT} - 1) everything above.
 * Stateless.
 */
public final class LatencyBuckets {
  /** Upper bounds in microseconds, 100 µs to about 60 s, each 1.5 times the last: a percentile is read within that factor. */
  private static final long[] BOUNDS = bounds();
  /** How many buckets a histogram has: one per bound and one above the last. */
  public static final int COUNT = BOUNDS.length + 1;

  private LatencyBuckets() {}

  /** The upper bound of bucket {@code i} in microseconds (the last bucket reports the last bound). */
  public static long boundMicros(int i) {
    return BOUNDS[Math.min(i, BOUNDS.length - 1)];
  }

  /** A copy of the bounds in microseconds. */
  public static long[] boundsMicros() {
    return BOUNDS.clone();
  }

  /** The bucket a latency in microseconds falls in. */
  public static int bucketOf(long micros) {
    int lo = 0;
    int hi = BOUNDS.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (BOUNDS[mid] < micros) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long[] bounds() {
    long[] b = new long[34];
    double v = 100;
    for (int i = 0; i < b.length; i++) {
      b[i] = Math.round(v);
      v *= 1.5;
    }
    return b;
  }
}
