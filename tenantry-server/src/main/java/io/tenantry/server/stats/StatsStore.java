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
  private final Counter instanceCellsDropped;

  public StatsStore(StatsSettings settings, Clock clock, MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.budget = new NamespaceStats.CellBudget(settings.maxCells());
    this.reportsAccepted = report(meters, "accepted");
    this.reportsRefused = report(meters, "refused");
    this.entriesAccepted = entries(meters, "accepted");
    this.entriesDropped = entries(meters, "dropped");
    this.instanceCellsDropped = Counter.builder("tenantry.stats.instance.dropped")
        .description("served entries not counted for their reporting instance (kept for the service) by the caps")
        .register(meters);
    Gauge.builder("tenantry.stats.cells", budget, b -> settings.maxCells() - b.left())
        .description("cells (slot, side, service, tenant, instance) of reported statistics held in memory").register(meters);
  }

  /**
   * Counts {@code report} of a service of {@code namespace} in the current slot; its served side also for its
   * instance, if it names one.
   *
   * @return how many of its entries were dropped by the caps (counted, and said in the answer)
   */
  public int accept(String namespace, StatsReport report) {
    long now = slotIndex();
    expire(now);
    List<Map.Entry<StatsKey, StatsEntry>> entries = new ArrayList<>(report.served().size() + report.called().size());
    for (StatsEntry e : report.served()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(new StatsKey(Side.SERVED, report.service(), e.tenant(), null), e));
    }
    for (StatsEntry e : report.called()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(new StatsKey(Side.CALLED, e.service(), e.tenant(), null), e));
    }
    NamespaceStats.Dropped dropped = namespaces.computeIfAbsent(namespace, n -> new NamespaceStats(settings.slots(),
        settings.maxKeysPerSlot(), budget)).add(now, report.instance(), entries);
    reportsAccepted.increment();
    entriesAccepted.increment(entries.size() - dropped.entries());
    entriesDropped.increment(dropped.entries());
    instanceCellsDropped.increment(dropped.instanceCells());
    return dropped.entries();
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
    return servedBy(namespace, service, null, tenant, window);
  }

  @Override
  public StatsTotals servedBy(String namespace, String service, String instance, String tenant, Duration window) {
    Cell sum = new Cell();
    (instance == null ? sums(namespace, window) : instanceSums(namespace, window)).forEach((k, c) -> {
      if (k.side() == Side.SERVED && k.service().equals(service) && (tenant == null || tenant.equals(k.tenant()))
          && (instance == null || instance.equals(k.instance()))) {
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

  @Override
  public Set<String> instances(String namespace, String service, Duration window) {
    Set<String> out = new TreeSet<>();
    instanceSums(namespace, window).keySet().forEach(k -> {
      if (k.service().equals(service)) {
        out.add(k.instance());
      }
    });
    return out;
  }

  /** Each (side, service, tenant) key's sum over {@code window} (at most the retention), all instances together. */
  Map<StatsKey, Cell> sums(String namespace, Duration window) {
    return allSums(namespace, window, false);
  }

  /** Each (service, tenant, instance) key's served sum over {@code window}: the cells of one instance each. */
  Map<StatsKey, Cell> instanceSums(String namespace, Duration window) {
    return allSums(namespace, window, true);
  }

  private Map<StatsKey, Cell> allSums(String namespace, Duration window, boolean perInstance) {
    NamespaceStats s = namespaces.get(namespace);
    if (s == null) {
      return Map.of();
    }
    long now = slotIndex();
    long slots = Math.max(1, Math.min(settings.slots(), ceilDiv(window.toMillis(), settings.slot().toMillis())));
    return s.sums(now - slots + 1, now, perInstance);
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
