package io.tenantry.server.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * Leases, reaping and self-preservation of the {@link Registry}. Immutable; validated on construction.
 *
 * @param defaultLease                 lease of a registration that asks for none
 * @param minLease                     shortest lease granted (shorter requests are raised to it)
 * @param maxLease                     longest lease granted (longer requests are lowered to it)
 * @param reaperInterval               how often lapsed leases are looked for; a watcher learns of an expiry
 *                                     within two intervals
 * @param selfPreservationThreshold    share of a namespace's instances that may lapse in one pass before
 *                                     the reaper suspects its own fault (a network split) and holds them back
 * @param selfPreservationMinInstances namespaces smaller than this are never held back
 * @param selfPreservationMaxHold      held leases expire anyway after this long
 */
public record RegistrySettings(Duration defaultLease, Duration minLease, Duration maxLease, Duration reaperInterval,
    double selfPreservationThreshold, int selfPreservationMinInstances, Duration selfPreservationMaxHold) {

  public RegistrySettings {
    positive("defaultLease", defaultLease);
    positive("minLease", minLease);
    positive("maxLease", maxLease);
    positive("reaperInterval", reaperInterval);
    positive("selfPreservationMaxHold", selfPreservationMaxHold);
    if (minLease.compareTo(maxLease) > 0) {
      throw new IllegalArgumentException("minLease: " + minLease + " (expected: <= maxLease " + maxLease + ")");
    }
    if (defaultLease.compareTo(minLease) < 0 || defaultLease.compareTo(maxLease) > 0) {
      throw new IllegalArgumentException(
          "defaultLease: " + defaultLease + " (expected: " + minLease + ".." + maxLease + ")");
    }
    if (!(selfPreservationThreshold > 0 && selfPreservationThreshold <= 1)) {
      throw new IllegalArgumentException(
          "selfPreservationThreshold: " + selfPreservationThreshold + " (expected: > 0 and <= 1)");
    }
    if (selfPreservationMinInstances < 1) {
      throw new IllegalArgumentException(
          "selfPreservationMinInstances: " + selfPreservationMinInstances + " (expected: >= 1)");
    }
  }

  /** 30 s leases (1 s..1 h), a reaper pass every second, hold back more than half of at least 4, for up to 90 s. */
  public static RegistrySettings defaults() {
    Duration lease = Duration.ofSeconds(30);
    return new RegistrySettings(lease, Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1), 0.5, 4,
        lease.multipliedBy(3));
  }

  /** The lease granted for a request of {@code seconds} (null: the default), clamped to the bounds. */
  public Duration leaseFor(Integer seconds) {
    if (seconds == null) {
      return defaultLease;
    }
    Duration asked = Duration.ofSeconds(seconds);
    return asked.compareTo(minLease) < 0 ? minLease : asked.compareTo(maxLease) > 0 ? maxLease : asked;
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
    }
  }
}
