package io.tenantry.server.store;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The transaction coordinator's durable log: global transactions, their branches and audit events. Every change
 * of state is conditional ({@link TxWrite}), so that nodes sharing the store never both decide. Thread-safe.
 */
public interface TxStore {
  /**
   * Writes {@code writes} in one database transaction where it can (group commit) and answers, in their order,
   * whether each was applied (a conditional write whose condition no longer held was not). A write that fails
   * on its own (its namespace was deleted) throws from its own future only: the others are written apart.
   *
   * @throws StoreException if the store cannot be written at all
   */
  List<Outcome> write(List<TxWrite> writes);

  /**
   * How many {@link #write} calls may run at once, each on its own connection, for disjoint transactions: one
   * where the database writes one commit at a time anyway (H2), more where a commit is a round trip and an fsync
   * that other connections' commits can share (PostgreSQL).
   */
  default int writers() {
    return 1;
  }

  /**
   * True if {@link #write} groups concurrent callers' writes into one durable write itself (a journal), so that
   * callers write from their own threads instead of handing writes to a log writer.
   */
  default boolean groupsWrites() {
    return false;
  }

  /**
   * Registers a branch of an active transaction of {@code tenant}, durable before it returns, under the
   * transaction's row lock (so a concurrent decision sees it): an existing branch of the same service, action
   * and key is answered instead of a new one.
   */
  BranchRegistration register(String namespace, String xid, NewBranch branch, int maxBranches);

  /** A transaction of {@code namespace} (null: of any), without branches and events. */
  Optional<StoredTx> get(String namespace, String xid);

  /** The branches of a transaction in registration order. */
  List<Branch> branches(String xid);

  /** The audit events of a transaction, oldest first. */
  List<TxEvent> events(String xid);

  /**
   * A namespace's transactions, newest first, filtered by tenant and state unless null, older than {@code before}
   * (an xid; xids sort by begin time) unless null: the next page after one that ended with {@code before}.
   */
  List<StoredTx> list(String namespace, String tenant, TxState state, String before, int limit);

  /** Every transaction in phase two (committing or rolling-back), of every namespace, oldest first. */
  List<StoredTx> inPhaseTwo(int limit);

  /** Active transactions whose deadline is before {@code now}, oldest deadline first. */
  List<StoredTx> expired(Instant now, int limit);

  /** Deletes final transactions (committed, rolled-back) that ended before {@code before}; returns how many. */
  int purge(Instant before);

  /**
   * True while this process drives phase two, timeouts and recovery: always on H2 (one process per data
   * directory); on PostgreSQL, the one node holding the coordinator's advisory lock of the schema.
   */
  boolean lead();

  /** Whether one write was applied, or why it failed on its own. */
  record Outcome(boolean applied, RuntimeException failure) {
    public static final Outcome APPLIED = new Outcome(true, null);
    public static final Outcome NOT_APPLIED = new Outcome(false, null);
  }

  /** A branch to register (validated by the caller). */
  record NewBranch(String tenant, String service, String action, String key, String instance, String data,
      Instant at) {}
}
