package io.tenantry.server.store;

import io.tenantry.api.tx.Branch;

/**
 * What {@link TxStore#register} did.
 *
 * @param branch the branch created or found (null unless CREATED or EXISTING)
 * @param tx     the transaction as it was when the branch was (or was not) registered; null if NOT_FOUND
 */
public record BranchRegistration(Outcome outcome, Branch branch, StoredTx tx) {
  /** The possible outcomes. */
  public enum Outcome {
    /** A new branch, durable. */
    CREATED,
    /** The same service, action and key were registered before: that branch. */
    EXISTING,
    /** No such transaction in the namespace. */
    NOT_FOUND,
    /** The transaction is active but past its deadline: to be rolled back (timeout), nothing registered. */
    EXPIRED,
    /** The transaction is not active any more. */
    NOT_ACTIVE,
    /** The transaction is another tenant's. */
    WRONG_TENANT,
    /** It has the most branches it may have. */
    TOO_MANY
  }
}
