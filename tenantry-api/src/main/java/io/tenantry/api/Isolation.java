package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a tenant shares instances: {@code pooled} shares them, {@code siloed} is served only by instances dedicated to it. */
public enum Isolation {
  POOLED("pooled"),
  SILOED("siloed");

  private final String wire;

  Isolation(String wire) {
    this.wire = wire;
  }

  /** The value as it appears on the wire. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** Parses the wire value; throws {@link ValidationException} naming the allowed values. */
  @JsonCreator
  public static Isolation of(String wire) {
    for (Isolation v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new ValidationException("isolation", "'" + (wire == null ? "null" : Names.shorten(wire))
        + "' (expected: one of " + java.util.Arrays.stream(values()).map(Isolation::wire).toList() + ")");
  }

  @Override
  public String toString() {
    return wire;
  }
}
