package io.tenantry.server.store;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;

/** What one write did to a policy, as its history records it. */
public enum PolicyAction implements WireEnum {
  CREATED("created"),
  UPDATED("updated"),
  /** A copy of an earlier version's content, written as a new version. */
  ROLLED_BACK("rolled-back"),
  /** The policy was removed; the version holds the content it had. */
  DELETED("deleted");

  private final String wire;

  PolicyAction(String wire) {
    this.wire = wire;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  static PolicyAction of(String wire) {
    return WireEnum.parse(values(), "action", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
