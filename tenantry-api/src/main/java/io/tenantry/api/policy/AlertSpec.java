package io.tenantry.api.policy;

/**
 * Spec of an {@code alert} policy: rules the control plane evaluates over the statistics the SDKs report.
 */
public record AlertSpec(Object rules) {
  // Placeholder shape: the alerting work owns and completes it.
}
