package io.tenantry.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  /** The definition: the first bucket whose bound is at least {@code micros}, the last one past every bound. */
  private static int reference(long micros) {
    for (int i = 0; i < LatencyBuckets.COUNT - 1; i++) {
      if (LatencyBuckets.boundMicros(i) >= micros) {
        return i;
      }
    }
    return LatencyBuckets.COUNT - 1;
  }

  @Test
  void everyBoundAndItsNeighbours_fallWhereTheDefinitionSays() {
    for (int i = 0; i < LatencyBuckets.COUNT - 1; i++) {
      long bound = LatencyBuckets.boundMicros(i);
      for (long m = bound - 2; m <= bound + 2; m++) {
        assertThat(LatencyBuckets.bucketOf(m)).as("%d µs", m).isEqualTo(reference(m));
      }
    }
    for (long m : new long[] {Long.MIN_VALUE, -1, 0, 1, 99, 100, 101, Long.MAX_VALUE}) {
      assertThat(LatencyBuckets.bucketOf(m)).as("%d µs", m).isEqualTo(reference(m));
    }
    for (int bits = 1; bits < 63; bits++) {
      long p = 1L << bits;
      for (long m : new long[] {p - 1, p, p + 1}) {
        assertThat(LatencyBuckets.bucketOf(m)).as("%d µs", m).isEqualTo(reference(m));
      }
    }
  }

  @Test
  void randomLatencies_fallWhereTheDefinitionSays() {
    SplittableRandom random = new SplittableRandom(42);
    for (int n = 0; n < 200_000; n++) {
      long m = random.nextLong(1L << random.nextInt(1, 40));
      assertThat(LatencyBuckets.bucketOf(m)).isEqualTo(reference(m));
    }
  }
}
