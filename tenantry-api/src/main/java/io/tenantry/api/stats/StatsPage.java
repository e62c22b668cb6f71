package io.tenantry.api.stats;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/namespaces/{ns}/stats}: per service, a row for all its calls then one per
 * tenant (busiest first, at most {@code limit}). Immutable.
 *
 * @param window the window read, e.g. {@code 5m}
 */
public record StatsPage(String namespace, String window, List<StatsRow> rows) {
  public StatsPage {
    rows = List.copyOf(rows);
  }
}
