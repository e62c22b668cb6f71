package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a tenant shares instances: {@code pooled} shares them, {@code siloed} is served only by instances dedicated to it. */
public enum Isolation implements WireEnum {
  POOLED("pooled"),
  SILOED("siloed");

  private final String wire;

  Isolation(String wire) {
    this.wire = wire;
  }

  /** The value as it appears on the wire. */
  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  /** Parses the wire value; throws {@link ValidationException} naming the allowed values. */
  @JsonCreator
  public static Isolation of(String wire) {
    return WireEnum.parse(values(), "isolation", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
