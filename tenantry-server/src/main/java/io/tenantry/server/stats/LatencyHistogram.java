package io.tenantry.server.stats;

/**
 * Latencies counted in fixed buckets, as the SDKs report them (so reports of many instances add up).
 * Bucket {@code i} counts latencies up to {@code BOUNDS_MICROS[i]}; the last one everything above.
 * Immutable.
 */
public record LatencyHistogram(long[] counts) {
  /** Upper bounds in microseconds, about 1.5 apart: a percentile is read within that factor. */
  public static final long[] BOUNDS_MICROS = bounds();
  public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[BOUNDS_MICROS.length + 1]);

  public LatencyHistogram {
    if (counts.length != BOUNDS_MICROS.length + 1) {
      throw new IllegalArgumentException("counts: " + counts.length + " buckets (expected " + (BOUNDS_MICROS.length + 1) + ")");
    }
    counts = counts.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  public long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** The upper bound (in ms) of the bucket holding quantile {@code q} (0..1), or 0 if nothing was counted. */
  public double percentileMillis(double q) {
    long n = total();
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return i < BOUNDS_MICROS.length ? BOUNDS_MICROS[i] / 1000.0 : BOUNDS_MICROS[BOUNDS_MICROS.length - 1] / 1000.0;
      }
    }
    return BOUNDS_MICROS[BOUNDS_MICROS.length - 1] / 1000.0;
  }

  /** The bucket a latency falls in. */
  public static int bucketOf(long micros) {
    int lo = 0;
    int hi = BOUNDS_MICROS.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (BOUNDS_MICROS[mid] < micros) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long[] bounds() {
    // 100 µs to ~60 s in steps of 1.5
    long[] b = new long[34];
    double v = 100;
    for (int i = 0; i < b.length; i++) {
      b[i] = Math.round(v);
      v *= 1.5;
    }
    return b;
  }
}
