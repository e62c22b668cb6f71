package io.tenantry.server.store;

import io.tenantry.api.Tenant;
import java.util.List;
import java.util.Optional;

/** Durable tenants, keyed by namespace and id. Thread-safe. */
public interface TenantStore {
  /** Stores a new tenant; false if the id is taken in its namespace. Its namespace must exist. */
  boolean insert(Tenant tenant);

  /** Replaces an existing tenant; false if there is none. */
  boolean update(Tenant tenant);

  boolean delete(String namespace, String id);

  Optional<Tenant> get(String namespace, String id);

  /** The tenants of one namespace, ordered by id. */
  List<Tenant> list(String namespace);
}
