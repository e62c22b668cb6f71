package io.tenantry.demo.launcher;

import io.tenantry.demo.launcher.RotationWatch.Episode;
import io.tenantry.demo.launcher.RotationWatch.ServingAgain;
import io.tenantry.demo.launcher.StatsCollector.InstanceStats;
import io.tenantry.demo.launcher.TrafficDriver.TenantTraffic;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the demo did, per tenant, at one moment: the launcher's own view of its orders (tried, ok,
 * failed, refused with 429, which version placed them, read back, isolation probes), what the services
 * reported on {@code /stats} (payments charged, the order service's retries and failovers, and how many
 * requests each instance served for the tenant), and what was seen of the failing payment instance's
 * outage. Every number is counted, none is expected. Immutable.
 *
 * @param failing the failing instance's outage and ejections, or null (no traffic yet)
 */
record DemoReport(Map<String, TenantRow> tenants, List<String> killed, FailingInstance failing, SdkCounters sdk) {
  /**
   * What the order instances' SDKs say their policies did (their {@code PolicyEffect}s, summed over the
   * instances): ejections of payment instances and retries the budget denied (caller side), calls their
   * door refused by a rate limit or the bulkhead.
   */
  record SdkCounters(long ejections, long retriesDenied, long rateLimited, long bulkheadRefused) {
    static SdkCounters of(Map<String, InstanceStats> stats) {
      long ejections = 0;
      long denied = 0;
      long limited = 0;
      long bulkhead = 0;
      for (InstanceStats s : stats.values()) {
        if (!s.service().equals("order")) {
          continue;
        }
        ejections += s.effect("resilience", "payment", "caller", "ejections");
        denied += s.effect("resilience", "payment", "caller", "retriesDenied");
        bulkhead += s.effect("resilience", "order", "door", "bulkheadRefused");
        for (Map.Entry<String, Long> e : s.policyEffects().entrySet()) {
          if (e.getKey().startsWith("rate-limit/order/") && e.getKey().endsWith("/refused")) {
            limited += e.getValue();
          }
        }
      }
      return new SdkCounters(ejections, denied, limited, bulkhead);
    }
  }

  /**
   * One tenant's line. {@code servedBy}: instance id → requests it served for this tenant;
   * {@code refusedBy}: 429 answers of any call by problem type; {@code ordersByVersion}: orders placed
   * by each order version.
   */
  record TenantRow(String tenant, String tier, String isolation, long ordersOk, long ordersFailed, long ordersRefused,
      Map<String, Long> refusedBy, Map<String, Long> ordersByVersion, long payments, long retries, long failovers,
      long readsOk, long readsFailed, long refundsOk, long refundsFailed, long probes, long leaks,
      Map<String, Long> servedBy, String lastError) {
    long ordersAttempted() {
      return ordersOk + ordersFailed + ordersRefused;
    }

    /** The share of this tenant's orders placed by {@code version}, 0 without orders. */
    double share(String version) {
      long all = ordersByVersion.values().stream().mapToLong(Long::longValue).sum();
      return all == 0 ? 0 : (double) ordersByVersion.getOrDefault(version, 0L) / all;
    }
  }

  /**
   * The failing instance: when its outage began and ended (null: not yet), every stretch a caller left
   * it out of rotation, and when it served payments again after the outage (null: not seen).
   */
  record FailingInstance(String instance, Duration outageFrom, Duration outageTo, List<Episode> ejections,
      ServingAgain servingAgain) {
    FailingInstance {
      ejections = List.copyOf(ejections);
    }

    /**
     * The stretches that began during the outage: the outage's. (One that begins outside it is another
     * instance's, e.g. a killed one's, or a rare run of the usual failures.)
     */
    List<Episode> duringOrAfterOutage() {
      return outageFrom == null ? List.of() : ejections.stream()
          .filter(e -> e.from().compareTo(outageFrom) >= 0 && (outageTo == null || e.from().compareTo(outageTo) <= 0))
          .toList();
    }

    /** True if every caller that left it out during the outage called it again afterwards. */
    boolean back() {
      List<Episode> e = duringOrAfterOutage();
      return !e.isEmpty() && e.stream().allMatch(x -> x.to() != null);
    }
  }

  DemoReport {
    tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants)); // keeps the tenants' order
    killed = List.copyOf(killed);
  }

  static DemoReport of(Map<String, TenantTraffic> traffic, Map<String, InstanceStats> stats, List<String> killed,
      FailingInstance failing) {
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
          t.ordersFailed.get(), t.ordersRefused.get(), counts(t.refusedBy), counts(t.ordersByVersion), payments, retries,
          failovers, t.readsOk.get(), t.readsFailed.get(), t.refundsOk.get(), t.refundsFailed.get(), t.probes.get(),
          t.leaks.get(),
          Collections.unmodifiableMap(servedBy), t.lastError.get()));
    }
    return new DemoReport(rows, killed, failing, SdkCounters.of(stats));
  }

  private static Map<String, Long> counts(Map<String, AtomicLong> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return Collections.unmodifiableMap(out);
  }

  long total(java.util.function.ToLongFunction<TenantRow> counter) {
    return tenants.values().stream().mapToLong(counter).sum();
  }
}
