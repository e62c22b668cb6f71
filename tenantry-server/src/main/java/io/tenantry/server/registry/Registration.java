package io.tenantry.server.registry;

import io.tenantry.api.Instance;

/**
 * The result of a registration: the instance as stored, and whether it was new. A registration equal
 * to the stored one changes nothing (no event, same revision) and only renews the lease.
 */
public record Registration(Instance instance, boolean created) {}
