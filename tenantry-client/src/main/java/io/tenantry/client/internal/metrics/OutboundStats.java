package io.tenantry.client.internal.metrics;

import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallOutcome;

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

  void record(CallAttempt a) {
    Tally t = recorder.called(a.service(), a.tenant());
    if (t == null) {
      return;
    }
    if (a.attempt() == 1) {
      t.call();
    } else {
      t.retry();
    }
    if (a.status() == 429) {
      t.rejection();
    }
    if (!a.willRetry() && a.outcome() != CallOutcome.SUCCESS) {
      t.error();
    }
    t.latency(a.latency().toNanos());
  }
}
