package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;

/**
 * The calls in flight to each instance, as the caller counts them (an attempt counts from its start to its
 * finish). Read by tenant affinity to bound each instance's load. Must be cheap, thread-safe and must not
 * allocate; a slightly stale count is fine.
 */
@FunctionalInterface
public interface InFlight {
  /** Nothing is ever in flight: affinity then never spills over. */
  InFlight NONE = instance -> 0;

  /** The calls in flight to {@code instance} now (0 for an instance never called). */
  int of(Instance instance);
}
