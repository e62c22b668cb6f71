package io.tenantry.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.WireEnum;
import io.tenantry.api.policy.AlertSpec;
import java.time.Instant;

/**
 * An alert that is pending (its rule holds, not yet for {@code holdFor}) or firing, as the last evaluation
 * left it. Immutable.
 *
 * @param tenant   the tenant of a per-tenant alert, null for a rule over every call
 * @param instance the instance of a per-instance alert, null for a rule over all the service's instances
 * @param since   when it became pending, or when it fired
 * @param value   the last value measured
 * @param eventId the firing event, null while pending
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActiveAlert(String namespace, String policy, String rule, String service, String tenant,
    String instance, Status state,
    AlertSpec.Severity severity, AlertSpec.Metric metric, String percentile, double value, double threshold,
    long calls, String window, Instant since, Long eventId) {

  /** Pending or firing. */
  public enum Status implements WireEnum {
    PENDING("pending"),
    FIRING("firing");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }
  }

  public AlertKey key() {
    return new AlertKey(namespace, policy, rule, service, tenant, instance);
  }
}
