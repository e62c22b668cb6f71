package io.tenantry.client.internal.metrics;

import io.tenantry.api.Names;
import io.tenantry.api.stats.StatsEntry;
import io.tenantry.api.stats.StatsReport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact per-tenant statistics of one interval: what the door served per tenant, what the outbound calls
 * got per called service and tenant. Bounded: at most {@code tenants} tenants per service and side (later ones
 * count as {@link StatsEntry#OTHER}) and {@link #MAX_SERVICES} called services (later ones are not counted).
 * Thread-safe; counting a known tenant is a lock-free lookup and allocates nothing.
 */
final class StatsRecorder {
  static final int MAX_SERVICES = 512;

  private final int tenants;
  private final Table served;
  private final ConcurrentHashMap<String, Table> called = new ConcurrentHashMap<>();

  StatsRecorder(int tenants) {
    this.tenants = tenants;
    this.served = new Table(tenants);
  }

  /** The tally of calls served for {@code tenant} (null: none; invalid: counted as {@code _other}). */
  Tally served(String tenant) {
    return served.of(tenant);
  }

  /** The tally of calls to {@code service} for {@code tenant}, or null past {@link #MAX_SERVICES}. */
  Tally called(String service, String tenant) {
    Table t = calledTable(service);
    return t == null ? null : t.of(tenant);
  }

  /** The tallies of calls to {@code service} by tenant (kept for good once made), or null past {@link #MAX_SERVICES}. */
  Table calledTable(String service) {
    Table t = called.get(service);
    if (t == null) {
      if (called.size() >= MAX_SERVICES) {
        return null;
      }
      t = called.computeIfAbsent(service, s -> new Table(tenants));
    }
    return t;
  }

  /**
   * Everything counted since the last drain, as reports of at most {@link StatsReport#MAX_ENTRIES} entries (none
   * if nothing was counted); zero again. Tallies idle for a whole interval are forgotten, so their tenants'
   * places go to others.
   */
  List<StatsReport> drain(String service, String instance) {
    List<StatsEntry> in = served.drain(null);
    List<StatsEntry> out = new ArrayList<>();
    called.forEach((name, t) -> out.addAll(t.drain(name)));
    List<StatsReport> reports = new ArrayList<>();
    int max = StatsReport.MAX_ENTRIES;
    for (int i = 0; i < in.size(); i += max) {
      reports.add(new StatsReport(service, instance, in.subList(i, Math.min(in.size(), i + max)), List.of()));
    }
    for (int i = 0; i < out.size(); i += max) {
      reports.add(new StatsReport(service, instance, List.of(), out.subList(i, Math.min(out.size(), i + max))));
    }
    return reports;
  }

  /** The tallies of one service and side by tenant. */
  static final class Table {
    private static final String NONE = "";
    private final int limit;
    private final ConcurrentHashMap<String, Tally> byTenant = new ConcurrentHashMap<>();
    private final Tally other = new Tally();

    Table(int limit) {
      this.limit = limit;
    }

    Tally of(String tenant) {
      String key = tenant == null ? NONE : tenant;
      Tally t = byTenant.get(key);
      if (t != null) {
        return t;
      }
      if (byTenant.size() >= limit || tenant != null && !Names.isName(tenant)) {
        return other;
      }
      return byTenant.computeIfAbsent(key, k -> new Tally());
    }

    List<StatsEntry> drain(String service) {
      List<StatsEntry> out = new ArrayList<>();
      for (Iterator<Map.Entry<String, Tally>> it = byTenant.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Tally> e = it.next();
        StatsEntry entry = e.getValue().drain(service, e.getKey().equals(NONE) ? null : e.getKey());
        if (entry == null) {
          it.remove(); // a count racing this removal is lost: only for a tenant idle a whole interval
        } else {
          out.add(entry);
        }
      }
      StatsEntry rest = other.drain(service, StatsEntry.OTHER);
      if (rest != null) {
        out.add(rest);
      }
      return out;
    }
  }
}
