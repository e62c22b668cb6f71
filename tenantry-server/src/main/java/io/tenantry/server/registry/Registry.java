package io.tenantry.server.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.EventType;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.Names;
import io.tenantry.api.ServiceSummary;
import io.tenantry.api.WatchEvent;
import io.tenantry.server.watch.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service registry: instances and their leases, held in memory. Every change (register with a
 * different spec, status change, deregistration, expiry) is appended to the {@link ChangeFeed} and so
 * gets a revision and reaches watchers; a heartbeat is one map lookup and one volatile write, with no
 * event, no lock and no disk.
 *
 * <p>Leases lapse on the reaper thread ({@link #start()}), which finds them through a timing wheel
 * rather than scanning every instance, compensates for its own pauses and holds back a mass expiry
 * (self-preservation, see {@link RegistrySettings}).
 *
 * <p>Thread-safe. Changes of one namespace are ordered by its lock; reads take no lock. Rejections
 * are values: unknown instances answer {@code false} or an empty {@link Optional}.
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final RegistrySettings settings;
  private final ChangeFeed feed;
  private final MeterRegistry meters;
  private final NamespaceTable namespaces;
  private final ExpiryWheel wheel;
  private final Reaper reaper;
  private final ScheduledExecutorService timer;
  private final LongPolls longPolls;
  private final AtomicBoolean started = new AtomicBoolean();

  public Registry(RegistrySettings settings, ChangeFeed feed, Clock clock, MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.meters = Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(clock, "clock");
    this.namespaces = new NamespaceTable(meters);
    long tick = settings.reaperInterval().toMillis();
    this.wheel = new ExpiryWheel(tick, settings.maxLease().toMillis(), clock.millis());
    this.reaper = new Reaper(settings, clock, wheel, this::expire);
    // Threads start lazily with their first task: constructing a registry starts nothing.
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tenantry-registry-reaper"));
    this.longPolls = new LongPolls(timer, Executors.newFixedThreadPool(2, DaemonThreads.named("tenantry-registry-longpoll")));
  }

  /** Starts the reaper thread. Idempotent. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      long every = settings.reaperInterval().toMillis();
      timer.scheduleWithFixedDelay(this::reapSafely, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the reaper and answers every waiting long-poll now. */
  @Override
  public void close() {
    timer.shutdownNow();
    namespaces.wakeAll();
    longPolls.close();
  }

  /**
   * Registers or replaces an instance (idempotent on its id). The same spec again only renews the
   * lease: no event, same revision. The lease is the spec's {@code leaseSeconds} clamped to the
   * configured bounds.
   */
  public Registration register(String namespace, String service, InstanceSpec spec) {
    Names.name("namespace", namespace);
    Names.name("service", service);
    Objects.requireNonNull(spec, "spec");
    Duration lease = settings.leaseFor(spec.leaseSeconds());
    int leaseSeconds = (int) Math.max(1, lease.toSeconds());
    Instance wanted = Instance.of(namespace, service, spec, leaseSeconds, 0);
    NamespaceState ns = namespaces.getOrCreate(namespace);
    ns.lock.lock();
    try {
      ServiceState svc = ns.service(service);
      Lease existing = svc.leases.get(spec.id());
      long vnow = reaper.virtualNow();
      if (existing != null && existing.instance.sameAs(wanted)) {
        existing.renew(vnow);
        return new Registration(existing.instance, false);
      }
      Lease lease1 = existing != null ? existing : new Lease(ns, svc, spec.id());
      Instance stored = feed.append(namespace, WatchEvent.KIND_INSTANCE, key(service, spec.id()),
          existing == null ? EventType.ADDED : EventType.MODIFIED, revision -> {
            Instance inst = Instance.of(namespace, service, spec, leaseSeconds, revision);
            lease1.instance = inst;
            lease1.lengthMillis = lease.toMillis();
            lease1.renew(vnow);
            if (existing == null) {
              svc.leases.put(spec.id(), lease1);
              ns.instances.incrementAndGet();
            }
            svc.changed(revision);
            return inst;
          });
      wheel.schedule(lease1, lease1.deadline);
      ns.registrations.increment();
      return new Registration(stored, existing == null);
    } finally {
      ns.lock.unlock();
    }
  }

  /** Renews a lease. Returns false if the registry does not hold the instance (the SDK re-registers). */
  public boolean heartbeat(String namespace, String service, String id) {
    Lease lease = namespaces.find(namespace, service, id);
    if (lease == null || lease.removed) {
      return false;
    }
    lease.renew(reaper.virtualNow());
    lease.namespace.heartbeats.increment();
    return true;
  }

  /** Renews many leases; returns those the registry does not hold, in the order given. */
  public List<InstanceRef> heartbeat(String namespace, Collection<InstanceRef> instances) {
    List<InstanceRef> missing = new ArrayList<>();
    for (InstanceRef ref : instances) {
      if (!heartbeat(namespace, ref.service(), ref.id())) {
        missing.add(ref);
      }
    }
    return missing;
  }

  /** Changes an instance's status ({@code MODIFIED} event unless it already has it); empty if unknown. */
  public Optional<Instance> setStatus(String namespace, String service, String id, InstanceStatus status) {
    Objects.requireNonNull(status, "status");
    return namespaces.withLease(namespace, service, id, lease -> {
      if (lease.instance.status() == status) {
        return lease.instance;
      }
      return feed.append(namespace, WatchEvent.KIND_INSTANCE, key(service, id), EventType.MODIFIED, revision -> {
        Instance inst = lease.instance.withStatus(status, revision);
        lease.instance = inst;
        lease.service.changed(revision);
        return inst;
      });
    });
  }

  /** Removes an instance ({@code DELETED} event, reason {@code deregistered}); returns its last state, or empty. */
  public Optional<Instance> deregister(String namespace, String service, String id) {
    return namespaces.withLease(namespace, service, id, lease -> remove(lease, WatchEvent.REASON_DEREGISTERED));
  }

  /** The instances of a service sorted by id, with a revision to watch from. */
  public ListResult<Instance> list(String namespace, String service) {
    return Listings.instances(feed.listRevision(namespace), namespaces.get(namespace), service);
  }

  /** The services of a namespace that have instances, sorted by name, with their instance and up counts. */
  public ListResult<ServiceSummary> services(String namespace) {
    return Listings.services(feed.listRevision(namespace), namespaces.get(namespace));
  }

  /**
   * A long-poll (Consul style): completes with the service's list as soon as the service changed after
   * {@code afterRevision} (at once if it already has), or with the current list after {@code wait}.
   * Holds no thread while waiting; completes on the registry's long-poll pool.
   */
  public CompletableFuture<ListResult<Instance>> awaitChange(String namespace, String service, long afterRevision,
      Duration wait) {
    Names.name("service", service);
    ServiceState svc = namespaces.getOrCreate(namespace).service(service);
    return longPolls.await(svc, afterRevision, wait, () -> list(namespace, service));
  }

  /** Forgets a deleted namespace: its instances go without events (the namespace's watchers are closed). */
  public void dropNamespace(String namespace) {
    NamespaceState ns = namespaces.drop(namespace);
    if (ns == null) {
      return;
    }
    reaper.forget(ns);
    ns.removeMeters(meters);
    LOG.info("dropped namespace '{}' from the registry", namespace);
  }

  /** One reaper pass; the reaper thread calls it every interval, tests call it with a fake clock. */
  void reap() {
    reaper.pass();
  }

  int size(String namespace) {
    return namespaces.size(namespace);
  }

  private void reapSafely() {
    try {
      reaper.pass();
    } catch (RuntimeException e) {
      LOG.error("lease reaper pass failed; retrying next interval", e);
    }
  }

  /** Called by the reaper, off the namespace lock: expires the lease unless it was renewed or removed. */
  private boolean expire(Lease lease, long virtualNow) {
    NamespaceState ns = lease.namespace;
    ns.lock.lock();
    try {
      if (lease.removed || lease.service.leases.get(lease.id) != lease || lease.deadline > virtualNow) {
        return false;
      }
      remove(lease, WatchEvent.REASON_EXPIRED);
      return true;
    } finally {
      ns.lock.unlock();
    }
  }

  /** Under the namespace lock. */
  private Instance remove(Lease lease, String reason) {
    String service = lease.service.name;
    return feed.append(lease.namespace.name, WatchEvent.KIND_INSTANCE, key(service, lease.id), EventType.DELETED,
        reason, revision -> {
          lease.service.leases.remove(lease.id, lease);
          lease.removed = true;
          lease.namespace.instances.decrementAndGet();
          lease.service.changed(revision);
          Instance last = lease.instance;
          return last.withStatus(last.status(), revision);
        });
  }

  private static String key(String service, String id) {
    return service + "/" + id;
  }
}
