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

  /**
   * The bucket a latency in microseconds falls in: the first whose bound is at least {@code micros}. Every call
   * of a governed service counts one (twice per call with both sides), so it starts from the first bucket that
   * can hold a number of that many bits and steps at most two or three bounds on (1.5² > 2), rather than
   * searching all of them.
   */
  public static int bucketOf(long micros) {
    if (micros <= BOUNDS[0]) {
      return 0;
    }
    int i = FIRST_BY_BITS[64 - Long.numberOfLeadingZeros(micros)];
    while (i < BOUNDS.length && BOUNDS[i] < micros) {
      i++;
    }
    return i;
  }

  /** For each bit length n (0 to 64), the first bucket whose bound is at least the least n-bit number. */
  private static final int[] FIRST_BY_BITS = firstByBits();

  private static int[] firstByBits() {
    int[] first = new int[65];
    for (int bits = 0; bits <= 64; bits++) {
      long least = bits == 0 ? 0 : bits == 64 ? Long.MIN_VALUE : 1L << (bits - 1);
      int i = 0;
      while (i < BOUNDS.length && (least < 0 || BOUNDS[i] < least)) {
        i++;
      }
      first[bits] = i;
    }
    return first;
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
