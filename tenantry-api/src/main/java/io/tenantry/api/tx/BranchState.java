package io.tenantry.api.tx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** Where one branch of a global transaction stands. */
public enum BranchState implements WireEnum {
  /** Registered before its try (or saga step) ran; phase two not done yet. */
  REGISTERED("registered"),
  /** Confirmed (TCC) or left standing (saga). */
  COMMITTED("committed"),
  /** Cancelled (TCC) or compensated (saga); also an empty rollback of a try that never ran. */
  ROLLED_BACK("rolled-back"),
  /** The participant refused phase two for good (HTTP 409) or attempts ran out; lastError says why. */
  FAILED("failed");

  private final String wire;

  BranchState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static BranchState of(String wire) {
    return WireEnum.parse(values(), "state", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
