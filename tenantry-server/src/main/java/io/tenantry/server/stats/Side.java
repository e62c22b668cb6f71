package io.tenantry.server.stats;

/** Which side of a call a statistic was counted on. */
public enum Side {
  /** At the called service's door, as its instances served it. */
  SERVED,
  /** At the callers, as their outbound calls saw it. */
  CALLED
}
