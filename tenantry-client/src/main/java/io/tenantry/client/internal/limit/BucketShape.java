package io.tenantry.client.internal.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * The size of one bucket as a policy writes it: {@code rate} tokens per {@code period} up to
 * {@code burst}, refilled gradually (a rate limit) or whole at the end of each period (a quota's
 * window). {@link #configuration(int)} derives one instance's share. Immutable.
 */
record BucketShape(long rate, long burst, Duration period, boolean whole) {

  /**
   * The Bucket4j configuration of one share out of {@code shares} (1: the whole limit): capacity
   * {@code burst/shares} rounded up, at least 1; a gradual refill of {@code rate} tokens every
   * {@code period*shares} (exactly rate/shares per period, even when rate is smaller than shares); a
   * whole refill of {@code rate/shares} (rounded up) every period.
   */
  BucketConfiguration configuration(int shares) {
    long capacity = ceilDiv(burst, shares);
    Bandwidth b = whole
        ? Bandwidth.builder().capacity(capacity).refillIntervally(ceilDiv(rate, shares), period).build()
        : Bandwidth.builder().capacity(capacity).refillGreedy(rate, period.multipliedBy(shares)).build();
    return BucketConfiguration.builder().addLimit(b).build();
  }

  private static long ceilDiv(long a, int b) {
    return Math.max(1, (a + b - 1) / b);
  }
}
