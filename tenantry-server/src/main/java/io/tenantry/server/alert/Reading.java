package io.tenantry.server.alert;

import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.stats.StatsTotals;

/**
 * What a rule measured in one evaluation: the value of its metric and the calls in its window, whether the rule
 * holds (enough calls, value strictly above the threshold) and whether it is clear (value at or below the
 * threshold, however few the calls). Neither: the value is above but on too few calls to tell (an instance its
 * callers stopped sending to while it still fails) — an alert keeps its state. Immutable.
 */
record Reading(double value, long calls, boolean holds, boolean clear) {
  static final Reading NONE = new Reading(0, 0, false, true);

  static Reading of(AlertSpec.Rule rule, StatsTotals totals) {
    double value = switch (rule.metric()) {
      case ERROR_RATE -> totals.errorRate();
      case REJECTION_RATE -> totals.rejectionRate();
      case REJECTIONS -> totals.rejections();
      case LATENCY -> totals.latency().percentileMillis(rule.quantile());
    };
    boolean above = value > rule.above();
    return new Reading(value, totals.calls(), above && totals.calls() >= rule.minCalls(), !above);
  }
}
