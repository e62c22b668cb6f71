package io.tenantry.api.tx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** How a global transaction finishes its branches. */
public enum TxMode implements WireEnum {
  /** Try-confirm-cancel (two-phase commit): every branch has tried; commit confirms each, rollback cancels each. */
  TCC("tcc"),
  /** Each step is done at once; commit leaves them, rollback compensates the completed steps in reverse order. */
  SAGA("saga");

  private final String wire;

  TxMode(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static TxMode of(String wire) {
    return WireEnum.parse(values(), "mode", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
