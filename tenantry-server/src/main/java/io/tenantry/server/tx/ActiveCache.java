package io.tenantry.server.tx;

import io.tenantry.server.store.StoredTx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active transactions this process began, as it last wrote them, so that a commit or rollback needs no read
 * of the store first. Only a hint: every decision is a conditional write that checks the state, the branch count
 * and the deadline it assumes, and a decision whose assumption was stale (a branch registered through another
 * node, a timeout) reads the store and decides again. Bounded: past {@link #MAX} entries new ones are not kept.
 * Thread-safe.
 */
final class ActiveCache {
  static final int MAX = 100_000;

  private final Map<String, StoredTx> active = new ConcurrentHashMap<>();

  void put(StoredTx tx) {
    if (active.size() < MAX) {
      active.put(tx.xid(), tx);
    }
  }

  /** The cached transaction of {@code namespace}, taken out (a decision is about to change it), or null. */
  StoredTx take(String namespace, String xid) {
    StoredTx tx = active.remove(xid);
    if (tx != null && !tx.tx().namespace().equals(namespace)) {
      active.put(xid, tx); // another namespace's: not for this caller
      return null;
    }
    return tx;
  }

  /** Counts a branch registered through this process. */
  void branchAdded(String xid, int branchCount) {
    active.computeIfPresent(xid, (x, tx) -> tx.branchCount() >= branchCount ? tx
        : new StoredTx(tx.tx(), tx.decision(), branchCount, tx.begunBy(), tx.trace()));
  }

  void forget(String xid) {
    active.remove(xid);
  }

  /** Drops the transactions past their deadline: decided by now (here, or by the leader's timeout on another node). */
  void forgetExpired(java.time.Instant now) {
    active.values().removeIf(tx -> tx.tx().deadline().isBefore(now));
  }
}
