package io.tenantry.api.tx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** Where a global transaction stands. See docs/TRANSACTIONS.md for the state machine. */
public enum TxState implements WireEnum {
  /** Begun; branches may register until commit, rollback or the deadline. */
  ACTIVE("active"),
  /** Commit decided and logged; phase two (confirm) runs until every branch acknowledged. */
  COMMITTING("committing"),
  /** Rollback decided and logged (asked, failed or timed out); cancels or compensations run. */
  ROLLING_BACK("rolling-back"),
  /** Every branch confirmed (a saga: every step stands). Final. */
  COMMITTED("committed"),
  /** Every branch cancelled or compensated. Final. */
  ROLLED_BACK("rolled-back"),
  /** Phase two cannot finish by itself (a participant refused for good, or a saga compensation ran out of attempts): an operator must retry or resolve it; reason says why. */
  STUCK("stuck");

  private final String wire;

  TxState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static TxState of(String wire) {
    return WireEnum.parse(values(), "state", wire);
  }

  /** True for committed and rolled-back: nothing more happens to the transaction. */
  public boolean isFinal() {
    return this == COMMITTED || this == ROLLED_BACK;
  }

  @Override
  public String toString() {
    return wire;
  }
}
