package io.tenantry.client.internal;

import java.time.Duration;

/**
 * The decisions of empty-push protection, kept pure so they can be tested alone. A drop in a
 * service's {@code UP} instances that comes from a relist or from a burst of lease expiries is held
 * back when fewer than {@code threshold × previous} would remain: a control plane that just restarted
 * knows no instance until they re-register, and a control plane that lost its network expires them
 * all, yet the instances themselves are fine. A hold ends when the list recovers or after the hold
 * limit. Immutable and thread-safe.
 */
public final class EmptyPushGuard {
  public static final double DEFAULT_THRESHOLD = 0.5;
  public static final Duration DEFAULT_HOLD_LIMIT = Duration.ofMinutes(2);

  private final double threshold;
  private final long holdLimitMillis;

  public EmptyPushGuard(double threshold, Duration holdLimit) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("protectThreshold: " + threshold + " (expected: 0..1, 0 disables)");
    }
    if (holdLimit.isNegative()) {
      throw new IllegalArgumentException("protectHoldLimit: " + holdLimit + " (expected: >= 0)");
    }
    this.threshold = threshold;
    this.holdLimitMillis = holdLimit.toMillis();
  }

  /** Where a change to a service's list came from. */
  public enum Source {
    /** A full list replacing what the client held (first list, relist after a restart, 410 or ERROR). */
    RELIST,
    /** A deletion because a lease expired. */
    EXPIRY,
    /** Any other event: registrations, status changes, graceful deregistrations. */
    EVENT
  }

  public double threshold() {
    return threshold;
  }

  public boolean enabled() {
    return threshold > 0;
  }

  /** True if going from {@code previousUp} to {@code newUp} UP instances because of {@code source} must be held back. */
  public boolean shouldHold(Source source, int previousUp, int newUp) {
    return enabled() && source != Source.EVENT && previousUp > 0 && newUp < threshold * previousUp;
  }

  /** True if a hold of {@code heldUp} instances may end because the live list has {@code liveUp} again. */
  public boolean recovered(int heldUp, int liveUp) {
    return liveUp >= threshold * heldUp;
  }

  /** True if a hold that started at {@code startMillis} has lasted its limit at {@code nowMillis}. */
  public boolean expired(long startMillis, long nowMillis) {
    return nowMillis - startMillis >= holdLimitMillis;
  }
}
