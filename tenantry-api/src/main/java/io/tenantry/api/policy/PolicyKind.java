package io.tenantry.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WireEnum;

/** The kinds of policy, each with the type its {@code spec} is read into. */
public enum PolicyKind implements WireEnum {
  ROUTE("route", RouteSpec.class),
  RATE_LIMIT("rate-limit", RateLimitSpec.class),
  RESILIENCE("resilience", ResilienceSpec.class),
  QUOTA("quota", QuotaSpec.class),
  TRACING("tracing", TracingSpec.class),
  ALERT("alert", AlertSpec.class);

  private final String wire;
  private final Class<?> specType;

  PolicyKind(String wire, Class<?> specType) {
    this.wire = wire;
    this.specType = specType;
  }

  @JsonValue
  @Override
  public String wire() {
    return wire;
  }

  /** The record a policy's {@code spec} of this kind is read into. */
  public Class<?> specType() {
    return specType;
  }

  /**
   * True if a service may have only one policy of this kind (besides one for {@code *}): routes and
   * resilience and tracing settings do not add up, limits, quotas and alerts do.
   */
  public boolean onePerService() {
    return this == ROUTE || this == RESILIENCE || this == TRACING;
  }

  /** Parses the wire value; throws {@link ValidationException} naming the allowed values. */
  @JsonCreator
  public static PolicyKind of(String wire) {
    return WireEnum.parse(values(), "kind", wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
