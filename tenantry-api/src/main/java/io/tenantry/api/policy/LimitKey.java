package io.tenantry.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** What a limit or quota is counted per: one bucket for the whole service, or one per tenant, tier or caller. */
public enum LimitKey implements WireEnum {
  SERVICE("service"),
  TENANT("tenant"),
  TIER("tier"),
  CALLER("caller");

  private final String wire;

  LimitKey(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static LimitKey of(String wire) {
    return WireEnum.parse(values(), "by", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
