package io.tenantry.server.alert;

import io.tenantry.api.policy.AlertSpec;

/**
 * A page request over a namespace's alert events, newest first: at most {@code limit} events with an id
 * below {@code before}, matching every filter that is not null. Immutable.
 */
public record HistoryQuery(String service, String tenant, String instance, AlertSpec.Severity severity,
    String policy, String rule, AlertEvent.State state, long before, int limit) {
  public HistoryQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
    }
  }

  /** The same filters, {@code n} events at most. */
  public HistoryQuery withLimit(int n) {
    return new HistoryQuery(service, tenant, instance, severity, policy, rule, state, before, n);
  }
}
