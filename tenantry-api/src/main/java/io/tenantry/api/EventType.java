package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The type of a watch event, as in Kubernetes list+watch: {@code BOOKMARK} only moves the revision forward. */
public enum EventType {
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
  public String wire() {
    return wire;
  }

  /** Parses the wire value; throws {@link ValidationException} naming the allowed values. */
  @JsonCreator
  public static EventType of(String wire) {
    for (EventType v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new ValidationException("type", "'" + (wire == null ? "null" : Names.shorten(wire))
        + "' (expected: one of " + java.util.Arrays.stream(values()).map(EventType::wire).toList() + ")");
  }

  @Override
  public String toString() {
    return wire;
  }
}
