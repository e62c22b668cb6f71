package io.tenantry.client.internal.metrics;

import io.tenantry.client.RequestHeaders;
import io.tenantry.client.internal.DoorObserver;

/**
 * What the SDK measures of every request at its service's door: its meters (if a registry was given) and the
 * interval's statistics (if they are reported). Served calls count an error when the handler answered 5xx or
 * threw; a refusal counts as a rejection when it was a 429 or 503 (limits, quotas, bulkheads, overload), as a
 * call only when it was about the tenant (400, 403). Thread-safe; allocates nothing for a known key.
 */
final class DoorRecorder implements DoorObserver {
  private final DoorMeters meters; // null: no registry
  private final StatsRecorder stats; // null: not reported

  DoorRecorder(DoorMeters meters, StatsRecorder stats) {
    this.meters = meters;
    this.stats = stats;
  }

  @Override
  public <R> Object entered(R request, RequestHeaders<? super R> headers, String tenant, String method,
      String path, Object previous) {
    return null; // the door measures the time inside
  }

  @Override
  public void exited(Object entered, String tenant, String method, String path, int status, long nanos) {
    if (meters != null) {
      meters.served(tenant, method, status, nanos);
    }
    if (stats != null) {
      Tally t = stats.served(tenant);
      if (status == 0 || status >= 500) {
        t.error();
      }
      t.latency(nanos);
    }
  }

  @Override
  public void refused(String tenant, String method, String path, int status, String type) {
    if (meters != null) {
      meters.refused(tenant, type);
    }
    if (stats != null) {
      Tally t = stats.served(tenant);
      t.unmeasuredCall();
      if (status == 429 || status == 503) {
        t.rejection();
      }
    }
  }
}
