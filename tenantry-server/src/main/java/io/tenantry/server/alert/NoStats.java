package io.tenantry.server.alert;

import io.tenantry.server.stats.StatsTotals;
import io.tenantry.server.stats.StatsView;
import java.time.Duration;
import java.util.Set;

/** A {@link StatsView} with no calls at all: what alerts read when the server was given no statistics. Stateless. */
public final class NoStats implements StatsView {
  public static final NoStats INSTANCE = new NoStats();

  private NoStats() {}

  @Override
  public StatsTotals served(String namespace, String service, String tenant, Duration window) {
    return StatsTotals.EMPTY;
  }

  @Override
  public Set<String> services(String namespace, Duration window) {
    return Set.of();
  }

  @Override
  public Set<String> tenants(String namespace, String service, Duration window) {
    return Set.of();
  }
}
