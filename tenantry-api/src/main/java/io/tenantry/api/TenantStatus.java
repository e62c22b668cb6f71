package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a tenant may be served: a suspended tenant is refused at every service's door. */
public enum TenantStatus {
  ACTIVE("active"),
  SUSPENDED("suspended");

  private final String wire;

  TenantStatus(String wire) {
    this.wire = wire;
  }

  /** The value as it appears on the wire. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** Parses the wire value; throws {@link ValidationException} naming the allowed values. */
  @JsonCreator
  public static TenantStatus of(String wire) {
    for (TenantStatus v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new ValidationException("status", "'" + (wire == null ? "null" : Names.shorten(wire))
        + "' (expected: one of " + java.util.Arrays.stream(values()).map(TenantStatus::wire).toList() + ")");
  }

  @Override
  public String toString() {
    return wire;
  }
}
