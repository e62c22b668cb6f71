package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a credential may do. Platform admins act on every namespace; every other role is bound to one namespace. */
public enum Role implements WireEnum {
  PLATFORM_ADMIN("platform-admin"),
  NAMESPACE_ADMIN("namespace-admin"),
  OPERATOR("operator"),
  SERVICE("service"),
  VIEWER("viewer"),
  /** May only post spans to the trace collector of its namespace (the credential of an ingest URL). */
  INGEST("ingest");

  private final String wire;

  Role(String wire) {
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
  public static Role of(String wire) {
    return WireEnum.parse(values(), "role", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
