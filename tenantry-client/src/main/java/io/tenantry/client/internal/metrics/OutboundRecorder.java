package io.tenantry.client.internal.metrics;

import io.tenantry.client.CallOutcome;
import io.tenantry.client.internal.AttemptRecorder;
import io.tenantry.client.internal.ServiceCalls;

/**
 * What the SDK measures of every outbound attempt: its meters (if a registry was given) and the interval's
 * statistics (if they are reported). Thread-safe; allocates nothing for a known key.
 */
final class OutboundRecorder implements AttemptRecorder {
  private final OutboundMeters meters; // null: no registry
  private final OutboundStats stats; // null: not reported

  OutboundRecorder(OutboundMeters meters, OutboundStats stats) {
    this.meters = meters;
    this.stats = stats;
  }

  @Override
  public void attempt(ServiceCalls service, String tenant, String method, int attempt, CallOutcome outcome, int status,
      long nanos, boolean willRetry) {
    if (meters != null) {
      meters.record(service.name(), tenant, method, attempt, outcome, nanos, willRetry);
    }
    if (stats != null) {
      stats.record(service, tenant, attempt, outcome, status, nanos, willRetry);
    }
  }
}
