package io.tenantry.client.internal.metrics;

import io.tenantry.client.CallOutcome;
import io.tenantry.client.internal.ServiceCalls;

/**
 * Counts outbound attempts into the interval's statistics per called service and tenant: calls (first attempts),
 * retries, errors (calls whose last attempt failed), rejections (attempts the callee answered 429) and every
 * attempt's latency. Thread-safe; allocates nothing for a known key.
 */
final class OutboundStats {
  private final StatsRecorder recorder;

  OutboundStats(StatsRecorder recorder) {
    this.recorder = recorder;
  }

  void record(ServiceCalls service, String tenant, int attempt, CallOutcome outcome, int status, long nanos,
      boolean willRetry) {
    StatsRecorder.Table table = service.recorded() instanceof StatsRecorder.Table kept ? kept : null;
    if (table == null) {
      table = recorder.calledTable(service.name());
      if (table == null) {
        return;
      }
      service.recorded(table);
    }
    Tally t = table.of(tenant);
    if (attempt > 1) {
      t.retry(); // a first attempt is a call: counted by its latency
    }
    if (status == 429) {
      t.rejection();
    }
    if (!willRetry && outcome != CallOutcome.SUCCESS) {
      t.error();
    }
    t.latency(nanos);
  }
}
