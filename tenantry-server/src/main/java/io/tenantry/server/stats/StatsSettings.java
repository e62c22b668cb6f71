package io.tenantry.server.stats;

import java.time.Duration;

/**
 * How the control plane keeps the SDKs' statistics: in slots of {@code slot}, for {@code retention}, at most
 * {@code maxKeysPerSlot} (side, service, tenant) cells per namespace in one slot (and as many cells of single
 * instances) and {@code maxCells} in all (a cell is about 0.5 KB, so the default caps memory near 100 MB).
 * Slots of 2 s make a window slide in steps of 2 s: a 10 s window of an alert rule is the last 8 to 10 s, not
 * a 10 s slot that empties at each of its boundaries. (A report fills one cell per key in the slot it arrives
 * in, so slots shorter than the SDKs' interval cost no more cells.) Immutable.
 */
public record StatsSettings(Duration slot, Duration retention, int maxKeysPerSlot, long maxCells) {
  public static final StatsSettings DEFAULT = new StatsSettings(Duration.ofSeconds(2), Duration.ofHours(1), 2_000,
      200_000);

  public StatsSettings {
    if (slot.toMillis() < 1 || retention.compareTo(slot) < 0 || retention.toMillis() % slot.toMillis() != 0) {
      throw new IllegalArgumentException("slot " + slot + ", retention " + retention
          + " (expected: slot >= 1ms, retention a multiple of it)");
    }
    if (maxKeysPerSlot < 1 || maxCells < 1) {
      throw new IllegalArgumentException("maxKeysPerSlot " + maxKeysPerSlot + ", maxCells " + maxCells
          + " (expected: >= 1)");
    }
  }

  /** How many slots are kept. */
  int slots() {
    return (int) (retention.toMillis() / slot.toMillis());
  }
}
