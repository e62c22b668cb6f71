package io.tenantry.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.Tenant;
import io.tenantry.api.policy.Policy;
import io.tenantry.client.ClientStats;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.Governor;
import io.tenantry.client.PolicyEffect;
import io.tenantry.client.Registration;
import io.tenantry.client.internal.limit.ClusterBackend;
import io.tenantry.client.internal.limit.DoorLimiter;
import io.tenantry.client.internal.limit.LimitEnvironment;
import io.tenantry.client.internal.limit.LimitStats;
import io.tenantry.client.internal.limit.RedisBuckets;
import io.tenantry.client.internal.metrics.ClientMetrics;
import io.tenantry.client.internal.resilience.CallerResilience;
import io.tenantry.client.internal.resilience.InboundResilience;
import io.tenantry.client.internal.resilience.ResilienceStats;
import io.tenantry.client.internal.route.RouteStats;
import io.tenantry.client.internal.trace.Tracing;
import io.tenantry.client.internal.tx.FenceLog;
import io.tenantry.client.internal.tx.JwksKeys;
import io.tenantry.client.internal.tx.PhaseTwoEndpoint;
import io.tenantry.client.internal.tx.TxEngine;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a started client runs: the control-plane client, the discovery cache and its watch
 * thread, the registrations and their heartbeats, the snapshot writer and the governed HTTP client.
 * Created by {@code TenantryClient.start()}, so that building a client has no side effect.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ClientCore {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
  static final Duration SNAPSHOT_DEBOUNCE = Duration.ofMillis(200);
  /** A token naming an unknown signing key fetches the JWKS again at most this often. */
  static final Duration JWKS_MIN_REFETCH = Duration.ofSeconds(5);
  /** How long final fence rows are kept, and how often old ones are purged. */
  static final Duration FENCE_RETENTION = Duration.ofDays(7);
  static final Duration FENCE_PURGE_INTERVAL = Duration.ofHours(1);

  private final ClientConfig config;
  private final Counters counters = new Counters();
  private final ObjectMapper mapper;
  private final ScheduledThreadPoolExecutor scheduler;
  private final HttpClient controlHttp;
  private final HttpClient callHttp;
  private final boolean ownsCallHttp;
  private final ControlPlane controlPlane;
  private final DiscoveryCache cache;
  private final SnapshotStore snapshots;
  private final Watcher watcher;
  private final Registrations registrations;
  private final CallGovernor governor;
  private final RedisBuckets redis; // null: no cluster-wide limits configured
  private final DoorLimiter limits; // null: this client serves no service
  private final InboundResilience inbound; // null: this client serves no service
  private final Door door;
  private final GovernedHttp http;
  private final Tracing tracing;
  private final ClientMetrics metrics;
  private final TxEngine transactions;
  private final PhaseTwoEndpoint phaseTwo;
  private final AtomicBoolean snapshotPending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ScheduledFuture<?> ticker;

  public ClientCore(ClientConfig config) {
    this.config = config;
    this.mapper = Json.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    AtomicInteger n = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "tenantry-" + config.namespace() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    this.controlHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    this.ownsCallHttp = config.httpClient() == null;
    this.callHttp = ownsCallHttp
        ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()
        : config.httpClient();
    this.controlPlane = new ControlPlane(config.servers(), config.namespace(), config.apiKey(), controlHttp, mapper,
        config.requestTimeout());
    this.cache = new DiscoveryCache(new EmptyPushGuard(config.protectThreshold(), config.protectHoldLimit()),
        config.clock(), counters, this::scheduleSnapshot);
    this.snapshots = config.snapshotDirectory() == null ? null
        : new SnapshotStore(config.snapshotDirectory(), config.namespace(), mapper);
    this.watcher = new Watcher(controlPlane, cache, counters, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
        scheduler, mapper, config.namespace());
    this.registrations = new Registrations(controlPlane, scheduler, counters,
        new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5)), config.namespace());
    this.governor = new CallGovernor(new RouteLookup() {
      @Override
      public Routes routes(String service) {
        return ClientCore.this.routes(service);
      }

      @Override
      public Supplier<Routes> source(String service) {
        return routeSource(service);
      }
    }, this::findTenant, config.loadBalancer(),
        new Backoff(Duration.ofMillis(25), Duration.ofSeconds(1)), CallerResilience.system(), config.serviceName(),
        config.zone());
    this.redis = config.clusterLimits() == null ? null : new RedisBuckets(ClusterBackend.redis(config.clusterLimits()));
    if (config.serviceName() != null) {
      String own = config.serviceName();
      this.limits = new DoorLimiter(own, LimitEnvironment.of(() -> upInstances(own), redis));
      this.inbound = new InboundResilience(own, System::nanoTime);
      this.door = Door.governed(this::findTenant, limits, inbound);
    } else {
      this.limits = null;
      this.inbound = null;
      this.door = Door.checking(this::findTenant);
    }
    this.tracing = Tracing.create(config.tracing(), config.namespace(), config.serviceName(), this::ownInstance,
        config.servers(), config.apiKey(), config.requestTimeout());
    governor.trace(tracing);
    door.addObserver(tracing.door());
    cache.policies().addListener(p -> {
      List<Policy> all = PolicyCache.all(p);
      tracing.apply(all);
      governor.applyPolicies(all);
      if (limits != null) {
        limits.update(all);
        inbound.apply(all);
      }
    });
    FenceLog fence = config.transactionLog() == null ? null : new FenceLog(config.transactionLog(), config.clock());
    this.transactions = new TxEngine(controlPlane, fence, mapper, config.serviceName(), this::ownInstance,
        config.clock(), tracing);
    this.phaseTwo = new PhaseTwoEndpoint(transactions, config.namespace(),
        new JwksKeys(controlPlane::jwks, config.clock(), JWKS_MIN_REFETCH), mapper, config.clock(), tracing.door());
    this.http = new GovernedHttp(callHttp, governor, config.serviceName(), transactions::currentXid);
    this.metrics = new ClientMetrics(config, governor, door, inbound == null ? null : inbound::stats, controlHttp,
        mapper, this::ownInstance);
  }

  /** The id of this process's instance of its own service, or null before it registers. */
  private String ownInstance() {
    for (ManagedRegistration r : registrations.active()) {
      if (r.service().equals(config.serviceName())) {
        return r.spec().id();
      }
    }
    return null;
  }

  /** Loads the snapshot and starts the watch thread and the hold ticker; returns at once. */
  public void start() {
    if (redis != null) {
      redis.start();
    }
    if (limits != null) { // local shares of limits divide by the service's own UP instances
      subscribe(config.serviceName(), instances -> limits.instancesChanged());
    }
    if (snapshots != null) {
      snapshots.read().ifPresent(s -> {
        cache.load(s);
        watcher.preload(s.services().keySet());
        LOG.info("loaded snapshot {} ({} services, {} tenants)", snapshots.file(), s.services().size(),
            s.tenants().size());
      });
    }
    watcher.start();
    metrics.start(scheduler);
    if (transactions.fence() != null) {
      scheduler.scheduleWithFixedDelay(() -> transactions.purge(FENCE_RETENTION), 1,
          FENCE_PURGE_INTERVAL.toMinutes(), TimeUnit.MINUTES);
    }
    ticker = scheduler.scheduleWithFixedDelay(() -> {
      cache.tick();
      watcher.checkStale();
    }, 1, 1, TimeUnit.SECONDS);
  }

  public List<Instance> instances(String service) {
    return awaitReady(service).served();
  }

  /** The served view of {@code service} with its candidates per tenant: the governed call's lookup. */
  public Routes routes(String service) {
    return awaitReady(service).routes();
  }

  /** The source of {@code service}'s served views once its cache is ready, else null (see {@link RouteLookup}). */
  public Supplier<Routes> routeSource(String service) {
    DiscoveryCache.Entry e = cache.entry(service);
    return e != null && e.cache().ready() ? e.cache()::routes : null; // an entry and its cache are kept for good
  }

  /** The cache of {@code service}, waiting (bounded) for its first list when this is the first lookup. */
  private ServiceCache awaitReady(String service) {
    DiscoveryCache.Entry e = cache.entry(service);
    if (e != null && e.cache().ready()) {
      return e.cache();
    }
    e = cache.entry(service, new boolean[1]);
    CompletableFuture<Void> first = watcher.subscribe(service);
    long left = config.firstLookupWait().toNanos() - (System.nanoTime() - e.createdNanos());
    if (left > 0 && !e.cache().ready()) {
      await(first, left);
    }
    return e.cache();
  }

  public Optional<Tenant> tenant(String id) {
    return Optional.ofNullable(findTenant(id));
  }

  /** The tenant {@code id}, or null; waits (bounded) for the first tenant list like {@link #tenant}. */
  public Tenant findTenant(String id) {
    Tenant t = cache.tenants().find(id);
    if (t == null && !cache.tenants().ready()) {
      await(watcher.firstRelist(), config.firstLookupWait().toNanos());
      return cache.tenants().find(id);
    }
    return t;
  }

  public Runnable subscribe(String service, Consumer<List<Instance>> listener) {
    Runnable remove = cache.addListener(service, listener);
    watcher.subscribe(service);
    return remove;
  }

  public Registration register(String service, InstanceSpec spec) throws InterruptedException {
    return registrations.register(service, spec);
  }

  public TxEngine transactions() {
    return transactions;
  }

  public PhaseTwoEndpoint phaseTwo() {
    return phaseTwo;
  }

  public GovernedHttpClient http() {
    return http;
  }

  public Governor governor() {
    return governor;
  }

  /**
   * The UP instances of {@code service} in this process's pool, which local limit shares divide by: the shared
   * instances if this process's instance of the service is shared (only pooled tenants' calls reach it), the
   * instances dedicated to its tenant if it is dedicated (only that tenant's calls reach it). 0 before the
   * client knows any.
   */
  private int upInstances(String service) {
    DiscoveryCache.Entry e = cache.entry(service);
    if (e == null) {
      return 0;
    }
    String pool = null; // the tenant this process's instance is dedicated to, or null if shared
    for (ManagedRegistration r : registrations.active()) {
      if (r.service().equals(service)) {
        pool = r.spec().tenant();
        break;
      }
    }
    int n = 0;
    for (Instance i : e.cache().served()) {
      if (i.status() == InstanceStatus.UP && java.util.Objects.equals(i.tenant(), pool)) {
        n++;
      }
    }
    return n;
  }

  /** Spans exported, dropped and failed so far. */
  public Tracing.Stats traceStats() {
    return tracing.stats();
  }

  /** The door of this client's service: tenant checks, rate limits, quotas, bulkheads, adaptive limit. */
  public Door door() {
    return door;
  }

  /** Calls {@code listener} with every policy held, now and after each change, once the change governs calls. */
  public Runnable subscribePolicies(Consumer<List<Policy>> listener) {
    return cache.policies().addListener(p -> listener.accept(PolicyCache.all(p)));
  }

  /** What every policy applied by this client has done so far: see {@link PolicyEffect}. */
  public List<PolicyEffect> policyEffects() {
    List<PolicyEffect> out = new ArrayList<>();
    for (RouteStats r : governor.routeStats()) {
      if (r.policy() == null) {
        continue;
      }
      out.add(new PolicyEffect("route", null, r.policy() + "/" + (r.rule() == null ? "-" : r.rule() + "#"
          + r.destination()), false, null, Map.of("routed", r.routed(), "failedEmpty", r.failedEmpty(),
          "fellBack", r.fellBack(), "wouldRoute", r.wouldRoute(), "wouldFail", r.wouldFail(),
          "wouldFallBack", r.wouldFallBack())));
    }
    governor.resilienceStats().services().forEach((name, s) -> out.add(new PolicyEffect("resilience", name,
        "caller", s.dryRun(), s.breakerState(), Map.ofEntries(
            Map.entry("notPermitted", s.notPermitted()),
            Map.entry("breakerWouldRefuse", s.breakerWouldRefuse()),
            Map.entry("breakerTransitions", s.breakerTransitions()),
            Map.entry("retriesAllowed", s.retriesAllowed()),
            Map.entry("retriesDenied", s.retriesDenied()),
            Map.entry("retriesWouldDeny", s.retriesWouldDeny()),
            Map.entry("ejections", s.ejections()),
            Map.entry("ejectedNow", (long) s.ejectedNow()),
            Map.entry("wouldEject", s.wouldEject()),
            Map.entry("ejectionsSkipped", s.ejectionsSkipped())))));
    if (limits != null) {
      String own = config.serviceName();
      for (LimitStats l : limits.stats()) {
        out.add(new PolicyEffect(l.kind(), own, l.policy() + "/" + l.limit(), l.dryRun(), null, Map.of(
            "admitted", l.admitted(), "refused", l.refused(), "wouldRefuse", l.wouldRefuse(),
            "fallbacks", l.fallbacks())));
      }
      ResilienceStats.Inbound d = inbound.stats();
      if (d.policy()) {
        out.add(new PolicyEffect("resilience", own, "door", d.dryRun(), null, Map.of(
            "bulkheadRefused", d.bulkheadRefused(), "bulkheadWouldRefuse", d.bulkheadWouldRefuse(),
            "adaptiveLimit", (long) d.adaptiveLimit(), "adaptiveInFlight", (long) d.adaptiveInFlight(),
            "adaptiveRefused", d.adaptiveRefused(), "adaptiveWouldRefuse", d.adaptiveWouldRefuse())));
      }
    }
    return out;
  }

  public ClientStats stats() {
    return new ClientStats(counters.protectionEpisodes.sum(), cache.servicesHolding(), counters.watchConnects.sum(),
        counters.relists.sum(), counters.heartbeatFailures.sum(), counters.reregistrations.sum(),
        counters.snapshotWrites.sum());
  }

  /** Leaves every registration gracefully; used by close() and the JVM shutdown hook. */
  public void deregisterAll() {
    registrations.closeAll();
  }

  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    deregisterAll();
    metrics.close();
    watcher.close();
    if (ticker != null) {
      ticker.cancel(false);
    }
    writeSnapshot();
    tracing.close();
    scheduler.shutdownNow();
    if (redis != null) {
      redis.close();
    }
    controlPlane.close();
    closeHttp(controlHttp);
    if (ownsCallHttp) {
      closeHttp(callHttp);
    }
  }

  private void scheduleSnapshot() {
    if (snapshots != null && !closed.get() && snapshotPending.compareAndSet(false, true)) {
      try {
        scheduler.schedule(this::writeSnapshot, SNAPSHOT_DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        snapshotPending.set(false);
      }
    }
  }

  private void writeSnapshot() {
    if (snapshots == null) {
      return;
    }
    snapshotPending.set(false);
    try {
      snapshots.write(cache.snapshot(config.namespace()));
      counters.snapshotWrites.increment();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write snapshot {}: {}", snapshots.file(), e.toString());
    }
  }

  private static void await(CompletableFuture<Void> f, long nanos) {
    try {
      f.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // serve what is known
    }
  }

  private static void closeHttp(HttpClient client) {
    if (client instanceof AutoCloseable c) { // JDK 21+
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing the HTTP client failed", e);
      }
    }
  }
}
