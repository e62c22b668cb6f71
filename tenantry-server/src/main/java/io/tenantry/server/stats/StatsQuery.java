package io.tenantry.server.stats;

import io.tenantry.api.policy.DurationText;
import io.tenantry.api.stats.Red;
import io.tenantry.api.stats.StatsPage;
import io.tenantry.api.stats.StatsRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stats API's answer: RED rows per service and tenant, both sides, or per instance, read from a
 * {@link StatsStore}. Stateless.
 */
public final class StatsQuery {
  /** How the rows name the calls made without a tenant (not a valid tenant id, so never a real one). */
  public static final String NO_TENANT = "_none";

  private StatsQuery() {}

  /**
   * The rows of {@code namespace} over {@code window}: per service (only {@code service} if not null), a row for
   * all its calls, then one per tenant (only {@code tenant} if not null), busiest first, at most {@code limit}.
   */
  public static StatsPage page(StatsStore store, String namespace, String service, String tenant, Duration window,
      int limit) {
    // service -> tenant (null: all) -> [served, called]
    Map<String, Map<String, Cell[]>> byService = new TreeMap<>();
    store.sums(namespace, window).forEach((k, c) -> {
      if (service != null && !service.equals(k.service())) {
        return;
      }
      Map<String, Cell[]> tenants = byService.computeIfAbsent(k.service(), s -> new HashMap<>());
      add(tenants, null, k.side(), c);
      String name = k.tenant() == null ? NO_TENANT : k.tenant();
      if (tenant == null || tenant.equals(name)) {
        add(tenants, name, k.side(), c);
      }
    });
    List<StatsRow> rows = new ArrayList<>();
    byService.forEach((s, tenants) -> {
      rows.add(row(s, null, tenants.get(null), window));
      tenants.entrySet().stream()
          .filter(e -> e.getKey() != null)
          .sorted(Comparator.<Map.Entry<String, Cell[]>>comparingLong(e -> -(e.getValue()[0].calls
              + e.getValue()[1].calls)).thenComparing(Map.Entry::getKey))
          .limit(limit)
          .forEach(e -> rows.add(row(s, e.getKey(), e.getValue(), window)));
    });
    return new StatsPage(namespace, DurationText.format(window), rows);
  }

  /**
   * The rows of {@code namespace} over {@code window} per instance: per service (only {@code service} if not
   * null), one row for each instance that reported what it served (of {@code tenant} only, if not null),
   * busiest first, at most {@code limit}.
   */
  public static StatsPage byInstance(StatsStore store, String namespace, String service, String tenant,
      Duration window, int limit) {
    Map<String, Map<String, Cell>> byService = new TreeMap<>(); // service -> instance -> served
    store.instanceSums(namespace, window).forEach((k, c) -> {
      String name = k.tenant() == null ? NO_TENANT : k.tenant();
      if ((service == null || service.equals(k.service())) && (tenant == null || tenant.equals(name))) {
        byService.computeIfAbsent(k.service(), s -> new HashMap<>()).computeIfAbsent(k.instance(), i -> new Cell())
            .add(c);
      }
    });
    Red none = new Cell().red(Side.CALLED, window);
    List<StatsRow> rows = new ArrayList<>();
    byService.forEach((s, instances) -> instances.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Cell>>comparingLong(e -> -e.getValue().calls)
            .thenComparing(Map.Entry::getKey))
        .limit(limit)
        .forEach(e -> rows.add(new StatsRow(s, tenant, e.getKey(), e.getValue().red(Side.SERVED, window), none))));
    return new StatsPage(namespace, DurationText.format(window), rows);
  }

  private static void add(Map<String, Cell[]> tenants, String tenant, Side side, Cell c) {
    tenants.computeIfAbsent(tenant, t -> new Cell[] {new Cell(), new Cell()})[side.ordinal()].add(c);
  }

  private static StatsRow row(String service, String tenant, Cell[] sides, Duration window) {
    return new StatsRow(service, tenant, null, sides[0].red(Side.SERVED, window), sides[1].red(Side.CALLED, window));
  }
}
