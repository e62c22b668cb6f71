package io.tenantry.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter. {@link #fullJitter} draws a delay in [0, min(cap, base·2^(n-1))]
 * (AWS "full jitter", for call retries); {@link #equalJitter} in [d/2, d] with d = min(cap, base·2^(n-1))
 * (for reconnect loops, which must not spin). Immutable and thread-safe.
 */
public final class Backoff {
  private final long baseMillis;
  private final long capMillis;

  public Backoff(Duration base, Duration cap) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    if (baseMillis <= 0 || capMillis < baseMillis) {
      throw new IllegalArgumentException("backoff: base " + base + ", cap " + cap + " (expected: 0 < base <= cap)");
    }
  }

  /** The upper bound of the delay before attempt {@code n + 1}, after {@code n >= 1} failures. */
  public long ceilingMillis(int failures) {
    int shift = Math.min(Math.max(failures, 1) - 1, 30);
    long d = baseMillis << shift;
    return d <= 0 || d > capMillis ? capMillis : d;
  }

  public Duration fullJitter(int failures) {
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceilingMillis(failures) + 1));
  }

  public Duration equalJitter(int failures) {
    long d = ceilingMillis(failures);
    return Duration.ofMillis(d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1));
  }
}
