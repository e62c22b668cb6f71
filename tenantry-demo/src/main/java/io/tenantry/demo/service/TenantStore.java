package io.tenantry.demo.service;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records kept per tenant: one map per tenant, so a lookup names the tenant and can never find another
 * tenant's record. The tenant always comes from the request's tenant context, never from its body.
 * Thread-safe.
 */
final class TenantStore<V> {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, V>> byTenant = new ConcurrentHashMap<>();

  Optional<V> get(String tenant, String id) {
    Map<String, V> records = byTenant.get(Objects.requireNonNull(tenant, "tenant"));
    return records == null ? Optional.empty() : Optional.ofNullable(records.get(id));
  }

  /** Stores {@code value} unless {@code id} is taken; returns the value now stored under {@code id}. */
  V putIfAbsent(String tenant, String id, V value) {
    V prior = records(tenant).putIfAbsent(Objects.requireNonNull(id, "id"), Objects.requireNonNull(value, "value"));
    return prior == null ? value : prior;
  }

  int size(String tenant) {
    Map<String, V> records = byTenant.get(tenant);
    return records == null ? 0 : records.size();
  }

  private ConcurrentHashMap<String, V> records(String tenant) {
    return byTenant.computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new ConcurrentHashMap<>());
  }
}
