package io.tenantry.server.registry;

import io.tenantry.api.Instance;

/**
 * One registered instance and its lease. A heartbeat is one volatile write of {@link #deadline}; the
 * reaper finds the lease through the expiry wheel and re-checks the deadline lazily. Deadlines are in
 * the registry's virtual time (wall time minus the pauses the reaper compensated for).
 */
final class Lease {
  final NamespaceState namespace;
  final ServiceState service;
  final String id;
  /** Guarded for writes by the namespace lock. */
  volatile Instance instance;
  volatile long lengthMillis;
  volatile long deadline;
  volatile boolean removed;
  /** The wheel tick this lease is filed under; guarded by the wheel. */
  long scheduledTick;

  Lease(NamespaceState namespace, ServiceState service, String id) {
    this.namespace = namespace;
    this.service = service;
    this.id = id;
  }

  void renew(long virtualNow) {
    deadline = virtualNow + lengthMillis;
  }
}
