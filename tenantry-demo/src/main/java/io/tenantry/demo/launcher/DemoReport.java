package io.tenantry.demo.launcher;

import io.tenantry.demo.launcher.StatsCollector.InstanceStats;
import io.tenantry.demo.launcher.TrafficDriver.TenantTraffic;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo did, per tenant, at one moment: the launcher's own view of its orders (ok, failed,
 * read back, isolation probes) and what the services reported on {@code /stats} (payments charged,
 * the order service's retries and failovers, and how many requests each instance served for the
 * tenant). Immutable.
 */
record DemoReport(Map<String, TenantRow> tenants, List<String> killed) {
  /** One tenant's line. {@code servedBy}: instance id → requests it served for this tenant. */
  record TenantRow(String tenant, String tier, String isolation, long ordersOk, long ordersFailed, long payments,
      long retries, long failovers, long readsOk, long readsFailed, long probes, long leaks,
      Map<String, Long> servedBy, String lastError) {}

  DemoReport {
    tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants)); // keeps the tenants' order
    killed = List.copyOf(killed);
  }

  static DemoReport of(Map<String, TenantTraffic> traffic, Map<String, InstanceStats> stats, List<String> killed) {
    Map<String, TenantRow> rows = new LinkedHashMap<>();
    for (TenantTraffic t : traffic.values()) {
      long payments = 0;
      long retries = 0;
      long failovers = 0;
      Map<String, Long> servedBy = new TreeMap<>();
      for (InstanceStats s : stats.values()) {
        switch (s.service()) {
          case "payment" -> payments += s.get(t.tenant, "charges");
          case "order" -> {
            retries += s.get(t.tenant, "retries");
            failovers += s.get(t.tenant, "failovers");
          }
          default -> { }
        }
        long served = s.get(t.tenant, "requests");
        if (served > 0) {
          servedBy.put(s.instance(), served);
        }
      }
      var spec = Topology.tenant(t.tenant);
      rows.put(t.tenant, new TenantRow(t.tenant, spec.tier(), spec.isolation().wire(), t.ordersOk.get(),
          t.ordersFailed.get(), payments, retries, failovers, t.readsOk.get(), t.readsFailed.get(), t.probes.get(),
          t.leaks.get(), Collections.unmodifiableMap(servedBy), t.lastError.get()));
    }
    return new DemoReport(rows, killed);
  }

  long total(java.util.function.ToLongFunction<TenantRow> counter) {
    return tenants.values().stream().mapToLong(counter).sum();
  }
}
