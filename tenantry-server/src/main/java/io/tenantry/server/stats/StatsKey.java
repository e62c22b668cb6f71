package io.tenantry.server.stats;

/** What one cell of a slot counts: a side of a service, for one tenant (null: calls without one). Immutable. */
record StatsKey(Side side, String service, String tenant) {}
