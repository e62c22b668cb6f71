package io.tenantry.server.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxState;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of the transaction log, written by {@link TxStore#write} together with others in one database
 * transaction (group commit). Each change but {@link Begin} is conditional on the state it expects, so that
 * two coordinators (or a coordinator and an operator) never both decide: the write then reports it did nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "write")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TxWrite.Begin.class, name = "begin"),
    @JsonSubTypes.Type(value = TxWrite.Transition.class, name = "transition"),
    @JsonSubTypes.Type(value = TxWrite.BranchUpdate.class, name = "branch-update"),
    @JsonSubTypes.Type(value = TxWrite.AddBranch.class, name = "add-branch")})
public sealed interface TxWrite {
  /** The transaction it changes. */
  String xid();

  /** A new global transaction (state active). */
  record Begin(StoredTx tx) implements TxWrite {
    public Begin {
      Objects.requireNonNull(tx, "tx");
    }

    @Override
    public String xid() {
      return tx.xid();
    }
  }

  /**
   * Moves a transaction from {@code from} to {@code to}, only if it is in {@code from}, has
   * {@code expectedBranches} branches (any if negative) and its deadline is after {@code deadlineAfter} (any if
   * null). Then, in the same database transaction: branches in {@code branchesFrom} become {@code branchesTo}
   * (none if null; attempts reset to 0 and the last error cleared when {@code resetAttempts}) and {@code event}
   * (if any) is appended.
   *
   * @param decision the decision to record (null: keep the recorded one)
   * @param reason   the reason to record (null: keep the recorded one)
   * @param decided  when the decision was taken (null: keep)
   * @param ended    when it became final (null: not final)
   */
  record Transition(String xid, TxState from, TxState to, int expectedBranches, Instant deadlineAfter, TxState decision,
      String reason, Instant decided, Instant ended, BranchState branchesFrom, BranchState branchesTo,
      boolean resetAttempts, TxEvent event) implements TxWrite {
    public Transition {
      Objects.requireNonNull(xid, "xid");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** A plain move from one state to another with an audit event. */
    public static Transition of(String xid, TxState from, TxState to, String reason, Instant decided, Instant ended,
        TxEvent event) {
      return new Transition(xid, from, to, -1, null, null, reason, decided, ended, null, null, false, event);
    }
  }

  /** Records a phase-two attempt of branch {@code branch}, only if it is still in {@code from}. */
  record BranchUpdate(String xid, int branch, BranchState from, BranchState to, int attempts, String lastError,
      Instant at) implements TxWrite {
    public BranchUpdate {
      Objects.requireNonNull(xid, "xid");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A branch registered with a transaction (which then counts it), as {@link TxStore#register} registered it. Only
   * a store that registers in memory first and writes the store behind ({@link JournaledTxStore}) writes this.
   */
  record AddBranch(String xid, Branch branch) implements TxWrite {
    public AddBranch {
      Objects.requireNonNull(xid, "xid");
      Objects.requireNonNull(branch, "branch");
    }
  }
}
