package io.tenantry.server.stats;

import io.tenantry.api.stats.LatencyBuckets;

/**
 * Latencies counted in fixed buckets, as the SDKs report them (so reports of many instances add up): the
 * buckets of {@link LatencyBuckets}, shared with the SDK. Bucket {@code i} counts latencies up to
 * {@code BOUNDS_MICROS[i]}; the last one everything above. Immutable.
 */
public record LatencyHistogram(long[] counts) {
  /** Upper bounds in microseconds, about 1.5 apart: a percentile is read within that factor. */
  public static final long[] BOUNDS_MICROS = LatencyBuckets.boundsMicros();
  public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[LatencyBuckets.COUNT]);

  public LatencyHistogram {
    if (counts.length != LatencyBuckets.COUNT) {
      throw new IllegalArgumentException("counts: " + counts.length + " buckets (expected: " + LatencyBuckets.COUNT
          + ")");
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
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return LatencyBuckets.boundMicros(i) / 1000.0;
      }
    }
    return LatencyBuckets.boundMicros(counts.length - 1) / 1000.0;
  }

  /** The bucket a latency falls in. */
  public static int bucketOf(long micros) {
    return LatencyBuckets.bucketOf(micros);
  }
}
