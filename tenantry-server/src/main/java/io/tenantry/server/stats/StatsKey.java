package io.tenantry.server.stats;

/**
 * What one cell of a slot counts: a side of a service, for one tenant (null: calls without one), and for one
 * reporting instance (served side only) or for all of them ({@code instance} null). Immutable.
 */
record StatsKey(Side side, String service, String tenant, String instance) {
  /** The same calls, counted for one instance. */
  StatsKey of(String reporting) {
    return new StatsKey(side, service, tenant, reporting);
  }
}
