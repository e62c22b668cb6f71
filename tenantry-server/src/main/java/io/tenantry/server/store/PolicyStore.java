package io.tenantry.server.store;

import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.util.List;
import java.util.Optional;

/**
 * Durable policies, keyed by namespace, kind and name: the current version of each live policy and the
 * history of every version ever written. Thread-safe. Writes of one policy must be ordered by the caller
 * (the change feed's namespace lock does it): the store checks only that a version is not written twice.
 */
public interface PolicyStore {
  /**
   * Records one write in one transaction: appends {@code version} to the history and makes the current
   * policy match it (created, updated, rolled-back: insert or replace; deleted: remove). Its namespace
   * must exist; a version already in the history is refused with a {@link StoreException}.
   */
  void append(PolicyVersion version);

  Optional<Policy> get(String namespace, PolicyKind kind, String name);

  /** The live policies of a namespace, ordered by kind then name; a null kind or service matches any. */
  List<Policy> list(String namespace, PolicyKind kind, String service);

  /** At most {@code limit} history entries of a policy older than version {@code before}, newest first. */
  List<PolicyVersion> history(String namespace, PolicyKind kind, String name, long before, int limit);

  /** One version of a policy's history. */
  Optional<PolicyVersion> version(String namespace, PolicyKind kind, String name, long version);

  /** The highest version in a policy's history (deletions included), 0 if it was never written. */
  long lastVersion(String namespace, PolicyKind kind, String name);
}
