package io.tenantry.server.store;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.TxEvent;
import java.util.List;

/**
 * A transaction as memory holds it, for {@link JdbcTxStore#save}: its row and every branch as they stand, whether
 * the tables have its row and how many of its branches, and its audit events that are not rows of
 * {@code tx_event} (written with its row).
 */
record TxSnapshot(StoredTx tx, boolean stored, List<Branch> branches, int branchesStored, List<TxEvent> rowEvents) {}
