package io.tenantry.server.registry;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry's per-namespace bookkeeping: the namespaces that hold instances, created on first
 * registration and dropped with the namespace, and the locked lookup that every change of an existing
 * instance goes through. Thread-safe: the table is concurrent; changes run under the namespace lock.
 */
final class NamespaceTable {
  private final ConcurrentHashMap<String, NamespaceState> namespaces = new ConcurrentHashMap<>();
  private final MeterRegistry meters;

  NamespaceTable(MeterRegistry meters) {
    this.meters = meters;
  }

  /** The namespace's state, or null if it holds nothing. Lock-free. */
  NamespaceState get(String namespace) {
    return namespaces.get(namespace);
  }

  /** The namespace's state, created (with its meters) on first use. */
  NamespaceState getOrCreate(String namespace) {
    NamespaceState ns = namespaces.get(namespace);
    return ns != null ? ns : namespaces.computeIfAbsent(namespace, n -> new NamespaceState(n, meters));
  }

  /** The lease of an instance, or null. Lock-free: what a heartbeat uses. */
  Lease find(String namespace, String service, String id) {
    NamespaceState ns = namespaces.get(namespace);
    return ns == null ? null : find(ns, service, id);
  }

  /**
   * Runs {@code change} on the instance's lease under its namespace's lock; empty if the registry does
   * not hold the instance.
   */
  <T> Optional<T> withLease(String namespace, String service, String id, Function<Lease, T> change) {
    NamespaceState ns = namespaces.get(namespace);
    if (ns == null) {
      return Optional.empty();
    }
    ns.lock.lock();
    try {
      Lease lease = find(ns, service, id);
      return lease == null ? Optional.empty() : Optional.of(change.apply(lease));
    } finally {
      ns.lock.unlock();
    }
  }

  /**
   * Removes a namespace and everything it holds, without events: its leases are marked removed (the
   * reaper skips them) and its long-polls answered; its meters stay until the caller removes them. Returns its state, or null if it held nothing.
   */
  NamespaceState drop(String namespace) {
    NamespaceState ns = namespaces.remove(namespace);
    if (ns == null) {
      return null;
    }
    ns.lock.lock();
    try {
      for (ServiceState svc : ns.services.values()) {
        svc.leases.values().forEach(l -> l.removed = true);
        svc.leases.clear();
        svc.changed(svc.revision);
      }
      ns.instances.set(0);
    } finally {
      ns.lock.unlock();
    }
    return ns;
  }

  /** Answers every waiting long-poll now (on close). */
  void wakeAll() {
    namespaces.values().forEach(ns -> ns.services.values().forEach(s -> s.changed(s.revision)));
  }

  int size(String namespace) {
    NamespaceState ns = namespaces.get(namespace);
    return ns == null ? 0 : ns.instances.get();
  }

  private static Lease find(NamespaceState ns, String service, String id) {
    ServiceState svc = ns.services.get(service);
    return svc == null ? null : svc.leases.get(id);
  }
}
