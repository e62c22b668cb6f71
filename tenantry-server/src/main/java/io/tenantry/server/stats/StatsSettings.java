package io.tenantry.server.stats;

import java.time.Duration;

/**
 * How the control plane keeps the SDKs' statistics: in slots of {@code slot}, for {@code retention}, at most
 * {@code maxKeysPerSlot} (side, service, tenant) cells per namespace in one slot and {@code maxCells} in all
 * (a cell is about 0.5 KB, so the default caps memory near 100 MB). Immutable.
 */
public record StatsSettings(Duration slot, Duration retention, int maxKeysPerSlot, long maxCells) {
  public static final StatsSettings DEFAULT = new StatsSettings(Duration.ofSeconds(10), Duration.ofHours(1), 2_000,
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
