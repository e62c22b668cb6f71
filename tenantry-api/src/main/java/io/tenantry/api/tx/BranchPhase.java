package io.tenantry.api.tx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** The phase-two action the coordinator asks of a participant. */
public enum BranchPhase implements WireEnum {
  /** Make a TCC branch's try final. */
  CONFIRM("confirm"),
  /** Undo a TCC branch's try; a branch that never tried records an empty rollback and refuses a later try. */
  CANCEL("cancel"),
  /** Undo a completed saga step. */
  COMPENSATE("compensate");

  private final String wire;

  BranchPhase(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static BranchPhase of(String wire) {
    return WireEnum.parse(values(), "phase", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
