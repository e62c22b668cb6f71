package io.tenantry.server.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.stats.StatsEntry;
import io.tenantry.api.stats.StatsReport;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The statistics the SDKs report, kept in memory per namespace in time slots ({@link StatsSettings}): the
 * {@link StatsView} of alert rules and the source of the stats API. Counts its intake on the server's meters
 * ({@code tenantry.stats.reports}, {@code tenantry.stats.entries}, {@code tenantry.stats.cells}). Thread-safe.
 */
public final class StatsStore implements StatsView {
  private final StatsSettings settings;
  private final Clock clock;
  private final NamespaceStats.CellBudget budget;
  private final ConcurrentHashMap<String, NamespaceStats> namespaces = new ConcurrentHashMap<>();
  private final AtomicLong expiredBefore = new AtomicLong(Long.MIN_VALUE);
  private final Counter reportsAccepted;
  private final Counter reportsRefused;
  private final Counter entriesAccepted;
  private final Counter entriesDropped;

  public StatsStore(StatsSettings settings, Clock clock, MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.budget = new NamespaceStats.CellBudget(settings.maxCells());
    this.reportsAccepted = report(meters, "accepted");
    this.reportsRefused = report(meters, "refused");
    this.entriesAccepted = entries(meters, "accepted");
    this.entriesDropped = entries(meters, "dropped");
    Gauge.builder("tenantry.stats.cells", budget, b -> settings.maxCells() - b.left())
        .description("cells (slot, side, service, tenant) of reported statistics held in memory").register(meters);
  }

  /**
   * Counts {@code report} of a service of {@code namespace} in the current slot.
   *
   * @return how many of its entries were dropped by the caps (counted, and said in the answer)
   */
  public int accept(String namespace, StatsReport report) {
    long now = slotIndex();
    expire(now);
    List<Map.Entry<StatsKey, StatsEntry>> entries = new ArrayList<>(report.served().size() + report.called().size());
    for (StatsEntry e : report.served()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(new StatsKey(Side.SERVED, report.service(), e.tenant()), e));
    }
    for (StatsEntry e : report.called()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(new StatsKey(Side.CALLED, e.service(), e.tenant()), e));
    }
    int dropped = namespaces.computeIfAbsent(namespace, n -> new NamespaceStats(settings.slots(),
        settings.maxKeysPerSlot(), budget)).add(now, entries);
    reportsAccepted.increment();
    entriesAccepted.increment(entries.size() - dropped);
    entriesDropped.increment(dropped);
    return dropped;
  }

  /** Counts a report refused as malformed or unauthorized. */
  public void refused() {
    reportsRefused.increment();
  }

  /** Forgets a deleted namespace. */
  public void dropNamespace(String namespace) {
    NamespaceStats s = namespaces.remove(namespace);
    if (s != null) {
      s.clear();
    }
  }

  @Override
  public StatsTotals served(String namespace, String service, String tenant, Duration window) {
    Cell sum = new Cell();
    sums(namespace, window).forEach((k, c) -> {
      if (k.side() == Side.SERVED && k.service().equals(service) && (tenant == null || tenant.equals(k.tenant()))) {
        sum.add(c);
      }
    });
    return sum.totals();
  }

  @Override
  public Set<String> services(String namespace, Duration window) {
    Set<String> out = new TreeSet<>();
    sums(namespace, window).keySet().forEach(k -> {
      if (k.side() == Side.SERVED) {
        out.add(k.service());
      }
    });
    return out;
  }

  @Override
  public Set<String> tenants(String namespace, String service, Duration window) {
    Set<String> out = new TreeSet<>();
    sums(namespace, window).keySet().forEach(k -> {
      if (k.side() == Side.SERVED && k.service().equals(service) && k.tenant() != null) {
        out.add(k.tenant());
      }
    });
    return out;
  }

  /** Each (side, service, tenant) key's sum over {@code window} (at most the retention). */
  Map<StatsKey, Cell> sums(String namespace, Duration window) {
    NamespaceStats s = namespaces.get(namespace);
    if (s == null) {
      return Map.of();
    }
    long now = slotIndex();
    long slots = Math.max(1, Math.min(settings.slots(), ceilDiv(window.toMillis(), settings.slot().toMillis())));
    return s.sums(now - slots + 1, now);
  }

  public StatsSettings settings() {
    return settings;
  }

  /** Gives back the cells of slots past the retention, once per slot, in every namespace. */
  private void expire(long now) {
    long oldest = now - settings.slots() + 1;
    long before = expiredBefore.get();
    if (oldest > before && expiredBefore.compareAndSet(before, oldest)) {
      namespaces.values().forEach(s -> s.expire(oldest));
    }
  }

  private long slotIndex() {
    return Math.floorDiv(clock.millis(), settings.slot().toMillis());
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static Counter report(MeterRegistry meters, String result) {
    return Counter.builder("tenantry.stats.reports").description("statistics reports posted by SDKs")
        .tag("result", result).register(meters);
  }

  private static Counter entries(MeterRegistry meters, String result) {
    return Counter.builder("tenantry.stats.entries")
        .description("entries of statistics reports: accepted, or dropped by the memory caps")
        .tag("result", result).register(meters);
  }
}
