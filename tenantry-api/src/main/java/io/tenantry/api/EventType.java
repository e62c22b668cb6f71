package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The type of a watch event, as in Kubernetes list+watch: {@code BOOKMARK} only moves the revision forward. */
public enum EventType implements WireEnum {
  ADDED("ADDED"),
  MODIFIED("MODIFIED"),
  DELETED("DELETED"),
  BOOKMARK("BOOKMARK");

  private final String wire;

  EventType(String wire) {
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
  public static EventType of(String wire) {
    return WireEnum.parse(values(), "type", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
