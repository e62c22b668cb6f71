package io.tenantry.server.store;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.TxEvent;
import java.util.List;

/**
 * A transaction as memory holds it, for {@link JdbcTxStore#save}: its row and every branch as they stand, whether
 * the tables have its row and how many of its branches, and the audit events they do not have yet.
 */
record TxSnapshot(StoredTx tx, boolean stored, List<Branch> branches, int branchesStored, List<TxEvent> newEvents) {}
