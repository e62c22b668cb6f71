package io.tenantry.server.alert;

import io.tenantry.server.stats.LatencyHistogram;
import io.tenantry.server.stats.StatsTotals;
import io.tenantry.server.stats.StatsView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@link StatsView} for tests: calls recorded at the clock's time, read back over a sliding window. Thread-safe.
 */
public final class InMemoryStats implements StatsView {
  private record Sample(String namespace, String service, String instance, String tenant, Instant at,
      StatsTotals totals) {}

  private final Clock clock;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();

  public InMemoryStats(Clock clock) {
    this.clock = clock;
  }

  /** Records {@code calls} calls now, {@code errors} of them failed, {@code rejections} refused, each admitted one taking {@code latencyMillis}. */
  public void record(String namespace, String service, String tenant, long calls, long errors, long rejections,
      long latencyMillis) {
    recordBy(namespace, service, null, tenant, calls, errors, rejections, latencyMillis);
  }

  /** As {@link #record}, reported by {@code instance} (null: by no instance in particular). */
  public void recordBy(String namespace, String service, String instance, String tenant, long calls, long errors,
      long rejections, long latencyMillis) {
    long[] counts = new long[LatencyHistogram.BOUNDS_MICROS.length + 1];
    counts[LatencyHistogram.bucketOf(latencyMillis * 1000)] = calls - rejections;
    samples.add(new Sample(namespace, service, instance, tenant, clock.instant(),
        new StatsTotals(calls, errors, rejections, new LatencyHistogram(counts))));
  }

  private Stream<Sample> recent(String namespace, Duration window) {
    Instant from = clock.instant().minus(window);
    return samples.stream().filter(s -> s.namespace().equals(namespace) && s.at().isAfter(from));
  }

  @Override
  public StatsTotals served(String namespace, String service, String tenant, Duration window) {
    return servedBy(namespace, service, null, tenant, window);
  }

  @Override
  public StatsTotals servedBy(String namespace, String service, String instance, String tenant, Duration window) {
    List<StatsTotals> matching = recent(namespace, window)
        .filter(s -> s.service().equals(service) && (tenant == null || tenant.equals(s.tenant()))
            && (instance == null || instance.equals(s.instance())))
        .map(Sample::totals).toList();
    long[] counts = new long[LatencyHistogram.BOUNDS_MICROS.length + 1];
    long calls = 0;
    long errors = 0;
    long rejections = 0;
    for (StatsTotals t : matching) {
      calls += t.calls();
      errors += t.errors();
      rejections += t.rejections();
      long[] c = t.latency().counts();
      for (int i = 0; i < c.length; i++) {
        counts[i] += c[i];
      }
    }
    return new StatsTotals(calls, errors, rejections, new LatencyHistogram(counts));
  }

  @Override
  public Set<String> services(String namespace, Duration window) {
    return recent(namespace, window).map(Sample::service).collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public Set<String> tenants(String namespace, String service, Duration window) {
    return recent(namespace, window).filter(s -> s.service().equals(service)).map(Sample::tenant)
        .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public Set<String> instances(String namespace, String service, Duration window) {
    return recent(namespace, window).filter(s -> s.service().equals(service)).map(Sample::instance)
        .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
  }
}
