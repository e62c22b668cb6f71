package io.tenantry.server.store;

import io.tenantry.server.watch.RevisionStore;

/**
 * The durable store of the control plane: one entry point to its small per-object SPIs. Thread-safe;
 * {@link #close()} releases its connections and is idempotent.
 */
public interface Store extends AutoCloseable {
  NamespaceStore namespaces();

  TenantStore tenants();

  ApiKeyStore apiKeys();

  PolicyStore policies();

  AlertStore alerts();

  RevisionStore revisions();

  SpanStore spans();

  /** The transaction coordinator's log. */
  TxStore transactions();

  /** The coordinator's token signing keys. */
  SigningKeyStore signingKeys();

  /** True while the store answers a trivial query; for health checks. */
  boolean healthy();

  @Override
  void close();
}
