package io.tenantry.client.tx;

/**
 * What a branch function is told about the branch it runs for: the transaction, the branch's id within it, the
 * tenant, the action and the branch's key. Immutable.
 *
 * @param branch 1, 2, … in registration order within the transaction
 */
public record BranchContext(String xid, int branch, String tenant, String action, String key) {}
