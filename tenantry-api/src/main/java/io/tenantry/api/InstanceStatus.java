package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An instance's serving state: only {@code UP} instances take new calls; {@code DRAINING} finishes what it has. */
public enum InstanceStatus implements WireEnum {
  UP("UP"),
  DRAINING("DRAINING"),
  DOWN("DOWN");

  private final String wire;

  InstanceStatus(String wire) {
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
  public static InstanceStatus of(String wire) {
    return WireEnum.parse(values(), "status", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
