package io.tenantry.api.policy;

import io.tenantry.api.ValidationException;
import java.util.Map;

/**
 * Spec of a {@code tracing} policy: which traces the SDKs record. A trace is sampled where it starts (a call that
 * arrives with a sampled or unsampled parent keeps the parent's decision); a trace that starts at a call to the
 * policy's service (at its door, or at a caller without a trace) is sampled with the tenant's ratio, else the
 * policy's {@code ratio}, else what the {@code *} policy says, else the SDK's default ratio.
 *
 * @param ratio   the share of traces sampled, 0.0 to 1.0; null: the {@code *} policy's, else the SDK's default
 * @param tenants a tenant's own ratio, 0.0 to 1.0, e.g. 1.0 for a tenant under investigation
 */
public record TracingSpec(Double ratio, Map<String, Double> tenants) {
  public TracingSpec {
    if (ratio != null) {
      fraction("ratio", ratio);
    }
    tenants = Checks.byName("tenants", tenants);
    for (Map.Entry<String, Double> e : tenants.entrySet()) {
      fraction("tenants." + e.getKey(), e.getValue());
    }
    if (ratio == null && tenants.isEmpty()) {
      throw new ValidationException("ratio", "missing and no tenants (expected: a ratio, tenants' ratios or both)");
    }
  }

  /** The ratio for {@code tenant} (may be null) by this policy alone, or null if it says nothing about it. */
  public Double ratioOf(String tenant) {
    Double own = tenant == null ? null : tenants.get(tenant);
    return own != null ? own : ratio;
  }

  private static void fraction(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new ValidationException(field, value + " (expected: 0.0 to 1.0)");
    }
  }
}
