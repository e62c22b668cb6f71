package io.tenantry.client.internal;

import io.tenantry.api.EventType;
import io.tenantry.api.Instance;
import io.tenantry.api.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service and tenant this client watches: one {@link ServiceCache} per service looked up, the
 * {@link TenantCache}, the listeners, and the hook that saves a snapshot on change. Writers are the
 * watch thread and the first-lookup lists; listeners are called after each write, outside any lock,
 * on the writing thread, and must not block.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DiscoveryCache {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryCache.class);

  private final EmptyPushGuard guard;
  private final Clock clock;
  private final Counters counters;
  private final Runnable onChange;
  private final ConcurrentHashMap<String, Entry> services = new ConcurrentHashMap<>();
  private final TenantCache tenants = new TenantCache();
  private final PolicyCache policies = new PolicyCache();

  /**
   * @param onChange called after any change of a served view or of the tenants (e.g. to schedule a snapshot)
   */
  public DiscoveryCache(EmptyPushGuard guard, Clock clock, Counters counters, Runnable onChange) {
    this.guard = guard;
    this.clock = clock;
    this.counters = counters;
    this.onChange = onChange;
  }

  /** One watched service: its cache, its listeners and when it was first asked for. */
  public static final class Entry {
    final ServiceCache cache;
    final CopyOnWriteArrayList<Consumer<List<Instance>>> listeners = new CopyOnWriteArrayList<>();
    final long createdNanos = System.nanoTime();

    Entry(ServiceCache cache) {
      this.cache = cache;
    }

    public ServiceCache cache() {
      return cache;
    }

    public long createdNanos() {
      return createdNanos;
    }
  }

  /** The entry of {@code service}, or null if it is not watched. */
  public Entry entry(String service) {
    return services.get(service);
  }

  /** The entry of {@code service}, created if needed; {@code created} is told whether this call created it. */
  public Entry entry(String service, boolean[] created) {
    Entry e = services.get(service);
    if (e != null) {
      return e;
    }
    Entry fresh = new Entry(new ServiceCache(service, guard, clock, counters));
    Entry prior = services.putIfAbsent(service, fresh);
    created[0] = prior == null;
    return prior == null ? fresh : prior;
  }

  /** The names of all watched services. */
  public List<String> serviceNames() {
    return List.copyOf(services.keySet());
  }

  public TenantCache tenants() {
    return tenants;
  }

  public PolicyCache policies() {
    return policies;
  }

  public Optional<Tenant> tenant(String id) {
    return tenants.get(id);
  }

  public void applyList(String service, long revision, List<Instance> items, boolean force) {
    Entry e = entry(service, new boolean[1]);
    publish(e, e.cache.applyList(revision, items, force));
  }

  public void applyEvent(EventType type, Instance instance, long revision, String reason) {
    Entry e = services.get(instance.service());
    if (e != null) {
      publish(e, e.cache.applyEvent(type, instance, revision, reason));
    }
  }

  public void applyTenantList(long revision, List<Tenant> items, boolean force) {
    if (tenants.applyList(revision, items, force)) {
      onChange.run();
    }
  }

  public void applyTenantEvent(EventType type, Tenant tenant, long revision) {
    if (tenants.applyEvent(type, tenant, revision)) {
      onChange.run();
    }
  }

  /** Seeds services and tenants from an on-disk snapshot; only services not yet watched are seeded. */
  public void load(Snapshot snapshot) {
    snapshot.services().forEach((service, items) -> {
      Entry e = entry(service, new boolean[1]);
      publish(e, e.cache.applySnapshot(items));
    });
    if (!tenants.ready()) {
      tenants.applyList(-1, snapshot.tenants(), false);
    }
  }

  /** The served view of every ready service and the tenants, for a snapshot. */
  public Snapshot snapshot(String namespace) {
    Map<String, List<Instance>> out = new java.util.TreeMap<>();
    services.forEach((name, e) -> {
      if (e.cache.ready()) {
        out.put(name, e.cache.served());
      }
    });
    return new Snapshot(Snapshot.FORMAT, namespace, clock.millis(), out, new ArrayList<>(tenants.all().values()));
  }

  /** Ends holds whose limit passed; called periodically. */
  public void tick() {
    for (Entry e : services.values()) {
      publish(e, e.cache.tick());
    }
  }

  public int servicesHolding() {
    int n = 0;
    for (Entry e : services.values()) {
      if (e.cache.holding()) {
        n++;
      }
    }
    return n;
  }

  public Runnable addListener(String service, Consumer<List<Instance>> listener) {
    Entry e = entry(service, new boolean[1]);
    e.listeners.add(listener);
    return () -> e.listeners.remove(listener);
  }

  private void publish(Entry e, ServiceCache.Change change) {
    if (!change.changed()) {
      return;
    }
    for (Consumer<List<Instance>> l : e.listeners) {
      try {
        l.accept(change.served());
      } catch (RuntimeException ex) {
        LOG.warn("listener of service {} failed", e.cache.service(), ex);
      }
    }
    onChange.run();
  }
}
