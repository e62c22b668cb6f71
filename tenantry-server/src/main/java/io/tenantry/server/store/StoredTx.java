package io.tenantry.server.store;

import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.TxState;
import io.tenantry.server.trace.TraceParent;
import java.util.Objects;

/**
 * A global transaction as the store keeps it: the wire record (without branches and events) and what only the
 * coordinator needs. Immutable.
 *
 * @param decision    committing or rolling-back once decided (kept while stuck, for an operator's retry), else null
 * @param branchCount branches registered so far (the next one gets {@code branchCount + 1})
 * @param begunBy     the key id that began it
 * @param trace       the trace context the begin arrived with (its phase-two calls join that trace), or null
 */
public record StoredTx(GlobalTransaction tx, TxState decision, int branchCount, String begunBy, TraceParent trace) {
  public StoredTx {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(begunBy, "begunBy");
  }

  public String xid() {
    return tx.xid();
  }

  public TxState state() {
    return tx.state();
  }
}
