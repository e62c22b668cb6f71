package io.tenantry.client.tx;

import io.tenantry.api.Names;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.Xids;

/**
 * The global transaction current on this thread: the one this process began ({@link Transactions#inTransaction})
 * or the one a call it serves carried in {@code X-Tenantry-Xid}. Immutable.
 *
 * @param xid    the transaction's id (32 lower-case hex characters)
 * @param tenant the tenant it runs for
 * @param mode   tcc or saga; null where it was joined from a call (the header carries the id only)
 * @param name   what it does, as begun; null if unnamed or joined from a call
 */
public record GlobalTx(String xid, String tenant, TxMode mode, String name) {
  public GlobalTx {
    Xids.xid("xid", xid);
    Names.name("tenant", tenant);
  }
}
