package io.tenantry.api.policy;

import java.util.Map;

/**
 * Spec of a {@code tracing} policy: which calls the SDKs record as traces. A trace is sampled where it
 * starts (a call that arrives with a sampled or unsampled parent keeps the parent's decision).
 *
 * @param ratio   the share of traces sampled, 0.0 to 1.0
 * @param tenants a tenant's own ratio, e.g. 1.0 for a tenant under investigation
 */
public record TracingSpec(Double ratio, Map<String, Double> tenants) {
  // Placeholder shape: the SDK tracing work owns and completes it (validation, defaults).
}
