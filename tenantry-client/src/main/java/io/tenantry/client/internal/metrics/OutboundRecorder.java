package io.tenantry.client.internal.metrics;

import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallObserver;

/**
 * What the SDK measures of every outbound attempt: its meters (if a registry was given) and the interval's
 * statistics (if they are reported). One observer for both, so that the governor's call to its observers stays
 * cheap (with one observer fewer, the JIT can keep the attempt record off the heap). Thread-safe.
 */
final class OutboundRecorder implements CallObserver {
  private final OutboundMeters meters; // null: no registry
  private final OutboundStats stats; // null: not reported

  OutboundRecorder(OutboundMeters meters, OutboundStats stats) {
    this.meters = meters;
    this.stats = stats;
  }

  @Override
  public void onAttempt(CallAttempt attempt) {
    if (meters != null) {
      meters.record(attempt);
    }
    if (stats != null) {
      stats.record(attempt);
    }
  }
}
