package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a tenant may be served: a suspended tenant is refused at every service's door. */
public enum TenantStatus implements WireEnum {
  ACTIVE("active"),
  SUSPENDED("suspended");

  private final String wire;

  TenantStatus(String wire) {
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
  public static TenantStatus of(String wire) {
    return WireEnum.parse(values(), "status", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
