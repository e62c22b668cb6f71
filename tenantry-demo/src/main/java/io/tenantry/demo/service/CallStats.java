package io.tenantry.demo.service;

import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallObserver;
import io.tenantry.client.CallOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the governed client did for each tenant: attempts per upstream instance, retries (every
 * attempt after the first) and failovers (an attempt sent to a different instance than the one
 * before); logs the attempt at which a call gives up. Thread-safe; never blocks the call.
 */
final class CallStats implements CallObserver {
  static final String NO_TENANT = "-";
  private static final Logger log = LoggerFactory.getLogger(CallStats.class);
  private final Counters counters;

  CallStats(Counters counters) {
    this.counters = counters;
  }

  @Override
  public void onAttempt(CallAttempt a) {
    String tenant = a.tenant() == null ? NO_TENANT : a.tenant();
    counters.increment(tenant, "calls." + a.service() + "." + a.instance().id());
    if (a.attempt() > 1) {
      counters.increment(tenant, "retries");
    }
    if (a.failover()) {
      counters.increment(tenant, "failovers");
    }
    if (a.willRetry()) {
      counters.increment(tenant, "retried." + String.valueOf(a.outcome()).toLowerCase(java.util.Locale.ROOT));
    } else if (a.outcome() != CallOutcome.SUCCESS) {
      // the call gives up here: say on which instance and attempt, so a failed order can be explained
      log.warn("{} call for tenant {} failed for good at attempt {} on {}: {} {}", a.service(), tenant, a.attempt(),
          a.instance().id(), a.outcome(), a.status());
    }
  }
}
