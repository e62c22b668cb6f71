package io.tenantry.client.internal;

import io.tenantry.api.EventType;
import io.tenantry.api.Tenant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The namespace's tenants as this client knows them: a volatile immutable map replaced on each
 * change, events applied by revision (older or duplicate ones ignored). Thread-safety: writers
 * synchronize on this object; reads are lock-free.
 */
public final class TenantCache {
  private volatile Map<String, Tenant> tenants = Map.of();
  private volatile boolean ready;
  private long revision = -1;

  public Optional<Tenant> get(String id) {
    return Optional.ofNullable(tenants.get(id));
  }

  /** The tenant {@code id}, or null: the per-call lookup, without an Optional. */
  public Tenant find(String id) {
    return tenants.get(id);
  }

  public Map<String, Tenant> all() {
    return tenants;
  }

  public boolean ready() {
    return ready;
  }

  public synchronized long revision() {
    return revision;
  }

  /**
   * Replaces every tenant with a list taken at {@code listRevision}; returns false if it changed
   * nothing or was older than what is held (unless {@code force}: a relist after the stream broke).
   */
  public synchronized boolean applyList(long listRevision, Collection<Tenant> items, boolean force) {
    if (listRevision < revision && !force) {
      return false;
    }
    revision = listRevision;
    ready = true;
    Map<String, Tenant> next = new HashMap<>();
    for (Tenant t : items) {
      next.put(t.id(), t);
    }
    if (sameContent(tenants, next)) {
      return false;
    }
    tenants = Map.copyOf(next);
    return true;
  }

  /** Applies one tenant event; returns true if it changed something. */
  public synchronized boolean applyEvent(EventType type, Tenant tenant, long eventRevision) {
    if (eventRevision <= revision) {
      return false;
    }
    revision = eventRevision;
    Map<String, Tenant> next = new HashMap<>(tenants);
    if (type == EventType.DELETED) {
      if (next.remove(tenant.id()) == null) {
        return false;
      }
    } else {
      next.put(tenant.id(), tenant);
    }
    tenants = Map.copyOf(next);
    return true;
  }


  private static boolean sameContent(Map<String, Tenant> a, Map<String, Tenant> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Tenant> e : b.entrySet()) {
      Tenant o = a.get(e.getKey());
      Tenant n = e.getValue();
      if (o == null || !o.tier().equals(n.tier()) || o.status() != n.status() || o.isolation() != n.isolation()
          || !o.labels().equals(n.labels())) {
        return false;
      }
    }
    return true;
  }
}
