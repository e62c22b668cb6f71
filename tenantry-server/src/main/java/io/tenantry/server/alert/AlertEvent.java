package io.tenantry.server.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;
import io.tenantry.api.policy.AlertSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An alert fired or resolved: what was measured ({@code value} over {@code window}, from {@code calls}
 * calls), against which threshold, when, and how each notifier was told. Immutable.
 *
 * @param id          numbers the events of the store, increasing; 0 before it is stored
 * @param tenant      the tenant of a per-tenant alert, null for a rule over every call
 * @param instance    the instance of a per-instance alert, null for a rule over all the service's instances
 * @param percentile  for latency rules, else null
 * @param startsAt    when the alert fired (the same on its resolved event)
 * @param at          when this event happened
 * @param deliveries  one per notifier of the policy, in its order; empty for a dry-run policy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertEvent(long id, String namespace, String policy, String rule, String service, String tenant,
    String instance, State state, AlertSpec.Severity severity, AlertSpec.Metric metric, String percentile, double value,
    double threshold, long calls, String window, Instant startsAt, Instant at, List<Delivery> deliveries) {
  public AlertEvent {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(at, "at");
    deliveries = List.copyOf(deliveries);
  }

  @JsonIgnore
  public AlertKey key() {
    return new AlertKey(namespace, policy, rule, service, tenant, instance);
  }

  public AlertEvent withId(long newId) {
    return new AlertEvent(newId, namespace, policy, rule, service, tenant, instance, state, severity, metric,
        percentile, value, threshold, calls, window, startsAt, at, deliveries);
  }

  /** What an event says happened. */
  public enum State implements WireEnum {
    FIRING("firing"),
    RESOLVED("resolved");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    public static State of(String wire) {
      return WireEnum.parse(values(), "state", wire);
    }
  }

  /** How one notifier was told of the event. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delivery(String url, DeliveryStatus status, int attempts, String error, Instant updatedAt) {
    public Delivery {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(updatedAt, "updatedAt");
    }
  }

  /** A delivery's outcome so far. */
  public enum DeliveryStatus implements WireEnum {
    /** Queued or being retried. */
    PENDING("pending"),
    /** A 2xx answer. */
    DELIVERED("delivered"),
    /** Every attempt failed, or the answer was a 4xx other than 408 and 429 (retrying would not help). */
    FAILED("failed"),
    /** The delivery queue was full, or the server stopped first. */
    DROPPED("dropped");

    private final String wire;

    DeliveryStatus(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    public static DeliveryStatus of(String wire) {
      return WireEnum.parse(values(), "status", wire);
    }
  }
}
