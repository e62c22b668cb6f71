package io.tenantry.server.store;

import java.util.List;
import java.util.Optional;

/** Durable credentials (hashes only). Thread-safe. */
public interface ApiKeyStore {
  /** Stores a new key; false if its id is taken. A namespaced key's namespace must exist. */
  boolean insert(StoredApiKey key);

  Optional<StoredApiKey> get(String id);

  /** The keys of one namespace, revoked ones included, ordered by creation time then id. */
  List<StoredApiKey> list(String namespace);

  /** Every key that is not revoked, in every namespace, platform keys included. */
  List<StoredApiKey> listActive();

  /** Marks a key of {@code namespace} revoked; false if there is no such key or it already was. */
  boolean revoke(String namespace, String id);

  /** True if a platform-admin credential (revoked or not) was ever stored. */
  boolean hasPlatformAdmin();
}
