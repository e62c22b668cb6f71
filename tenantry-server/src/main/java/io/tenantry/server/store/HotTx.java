package io.tenantry.server.store;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction as {@link JournaledTxStore} holds it in memory: its row, its branches and its audit events, and
 * the same conditional changes {@link JdbcTxStore}'s statements make (a write applies here exactly when its SQL
 * would change a row there). Guarded by its own monitor.
 */
final class HotTx {
  StoredTx tx;
  final List<Branch> branches;
  final List<TxEvent> events;
  /** Whether the database has its row, and how many of {@link #branches} it has. */
  boolean stored;
  int branchesStored;
  /** How many of {@link #events} (the first) are rows of {@code tx_event}; the rest are written with its row. */
  private final int eventRows;
  /** Changed since the database last got it (queued for the next write behind). */
  boolean queued;
  /** Dropped from memory (final and written): whoever still holds it looks it up again. */
  boolean evicted;

  private HotTx(StoredTx tx, List<Branch> branches, List<TxEvent> events, boolean stored, int eventRows) {
    this.tx = tx;
    this.branches = new ArrayList<>(branches);
    this.events = new ArrayList<>(events);
    this.stored = stored;
    this.branchesStored = stored ? branches.size() : 0;
    this.eventRows = eventRows;
  }

  /** A transaction the database holds as given, the first {@code eventRows} of its events rows of their own. */
  static HotTx stored(StoredTx tx, List<Branch> branches, List<TxEvent> events, int eventRows) {
    return new HotTx(tx, branches, events, true, eventRows);
  }

  /** A transaction begun here, not in the database yet. */
  static HotTx begun(StoredTx tx) {
    return new HotTx(tx, List.of(), List.of(), false, 0);
  }

  /** It as it stands, for the next write behind. */
  TxSnapshot snapshot() {
    return new TxSnapshot(tx, stored, List.copyOf(branches), branchesStored,
        List.copyOf(events.subList(eventRows, events.size())));
  }

  /** The database now holds {@code s}. */
  void saved(TxSnapshot s) {
    stored = true;
    branchesStored = Math.max(branchesStored, s.branches().size());
  }

  /** Applies {@code w} if its condition holds; whether it did. */
  boolean apply(TxWrite w) {
    if (w instanceof TxWrite.Transition t) {
      return transition(t);
    }
    if (w instanceof TxWrite.BranchUpdate u) {
      return branchUpdate(u);
    }
    if (w instanceof TxWrite.AddBranch a) {
      return addBranch(a.branch());
    }
    return false; // a begin: the store creates the transaction, once
  }

  private boolean transition(TxWrite.Transition t) {
    GlobalTransaction g = tx.tx();
    Instant after = t.deadlineAfter() == null ? Instant.EPOCH : t.deadlineAfter();
    if (g.state() != t.from() || t.expectedBranches() >= 0 && tx.branchCount() != t.expectedBranches()
        || !g.deadline().isAfter(after)) {
      return false;
    }
    String reason = t.reason() != null ? JdbcTxStore.clip(t.reason()) : g.reason();
    GlobalTransaction moved = new GlobalTransaction(g.xid(), g.namespace(), g.tenant(), g.mode(), g.name(), t.to(),
        reason, g.timeout(), g.begunAt(), g.deadline(), t.decided() != null ? t.decided() : g.decidedAt(), t.ended(),
        null, null);
    tx = new StoredTx(moved, t.decision() != null ? t.decision() : tx.decision(), tx.branchCount(), tx.begunBy(),
        tx.trace());
    if (t.branchesTo() != null) {
      Instant at = t.ended() != null ? t.ended() : t.decided() != null ? t.decided()
          : t.event() != null ? t.event().at() : Instant.now();
      for (int i = 0; i < branches.size(); i++) {
        Branch b = branches.get(i);
        if (b.state() == t.branchesFrom()) {
          branches.set(i, with(b, t.branchesTo(), t.resetAttempts() ? 0 : b.attempts(),
              t.resetAttempts() ? null : b.lastError(), at));
        }
      }
    }
    if (t.event() != null) {
      events.add(JdbcTxStore.clipped(t.event()));
    }
    return true;
  }

  private boolean branchUpdate(TxWrite.BranchUpdate u) {
    for (int i = 0; i < branches.size(); i++) {
      Branch b = branches.get(i);
      if (b.id() == u.branch()) {
        if (b.state() != u.from()) {
          return false;
        }
        branches.set(i, with(b, u.to(), u.attempts(), JdbcTxStore.clip(u.lastError()), u.at()));
        return true;
      }
    }
    return false;
  }

  private boolean addBranch(Branch b) {
    if (tx.state() != TxState.ACTIVE || b.id() != tx.branchCount() + 1) {
      return false;
    }
    branches.add(b);
    tx = new StoredTx(tx.tx(), tx.decision(), b.id(), tx.begunBy(), tx.trace());
    return true;
  }

  /** The branch of the same service, action and key, or null. */
  Branch branch(String service, String action, String key) {
    for (Branch b : branches) {
      if (b.service().equals(service) && b.action().equals(action) && b.key().equals(key)) {
        return b;
      }
    }
    return null;
  }

  boolean isFinal() {
    return tx.state().isFinal();
  }

  private static Branch with(Branch b, BranchState state, int attempts, String lastError, Instant at) {
    return new Branch(b.id(), b.service(), b.action(), b.key(), b.instance(), state, attempts, lastError,
        b.registeredAt(), at, b.data());
  }
}
