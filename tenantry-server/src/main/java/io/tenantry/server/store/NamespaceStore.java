package io.tenantry.server.store;

import io.tenantry.api.Namespace;
import java.util.List;
import java.util.Optional;

/** Durable namespaces. Thread-safe. */
public interface NamespaceStore {
  /** Stores a new namespace; false if one of that name exists. */
  boolean insert(Namespace namespace);

  /** Replaces an existing namespace; false if there is none. */
  boolean update(Namespace namespace);

  /** Deletes a namespace with all its tenants and keys; false if there was none. */
  boolean delete(String name);

  Optional<Namespace> get(String name);

  /** Every namespace, ordered by name. */
  List<Namespace> list();
}
