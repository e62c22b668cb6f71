package io.tenantry.server.alert;

import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.stats.StatsTotals;

/**
 * What a rule measured in one evaluation: the value of its metric and the calls in its window, and whether
 * the rule holds (enough calls, value strictly above the threshold). Immutable.
 */
record Reading(double value, long calls, boolean holds) {
  static final Reading NONE = new Reading(0, 0, false);

  static Reading of(AlertSpec.Rule rule, StatsTotals totals) {
    double value = switch (rule.metric()) {
      case ERROR_RATE -> totals.errorRate();
      case REJECTION_RATE -> totals.rejectionRate();
      case REJECTIONS -> totals.rejections();
      case LATENCY -> totals.latency().percentileMillis(rule.quantile());
    };
    return new Reading(value, totals.calls(), totals.calls() >= rule.minCalls() && value > rule.above());
  }
}
