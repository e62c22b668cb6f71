package io.tenantry.server;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.Namespace;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.server.alert.AlertEvaluator;
import io.tenantry.server.alert.AlertPolicies;
import io.tenantry.server.alert.AlertService;
import io.tenantry.server.alert.WebhookNotifier;
import io.tenantry.server.http.AlertRoutes;
import io.tenantry.server.http.HttpApp;
import io.tenantry.server.http.RegistryRoutes;
import io.tenantry.server.http.TraceRoutes;
import io.tenantry.server.http.TxRoutes;
import io.tenantry.server.tx.Transactions;
import io.tenantry.server.http.StatsRoutes;
import io.tenantry.server.http.WatchRoutes;
import io.tenantry.server.policy.PolicyService;
import io.tenantry.server.registry.Registry;
import io.tenantry.server.registry.RegistrySettings;
import io.tenantry.server.security.AdminBanner;
import io.tenantry.server.security.ApiKeyService;
import io.tenantry.server.stats.StatsView;
import io.tenantry.server.stats.StatsSettings;
import io.tenantry.server.stats.StatsStore;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import io.tenantry.server.tenant.NamespaceService;
import io.tenantry.server.tenant.TenantService;
import io.tenantry.server.trace.TraceCollector;
import io.tenantry.server.trace.TraceMeters;
import io.tenantry.server.watch.InMemoryChangeFeed;
import io.tenantry.server.watch.WatchSettings;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running control plane: store, change feed, registry, namespaces, tenants, policies, keys and
 * the HTTP API in one process. {@link #start} returns once it serves; {@link #close} stops it cleanly and is
 * idempotent. Several servers may run in one JVM (on different data directories): nothing is static.
 * Thread-safe.
 */
public final class TenantryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantryServer.class);

  private final ServerConfig config;
  /** The statistics alert rules read instead of those the SDKs report (tests); null: the reported ones. */
  private final StatsView stats;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  /** Closed before the HTTP server stops: what ends watch streams and long-polls (closed again, idempotently, with the rest). */
  private final List<AutoCloseable> endFirst = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Javalin app;
  private String adminKey;

  private TenantryServer(ServerConfig config, StatsView stats) {
    this.config = config;
    this.stats = stats;
  }

  /** Starts a server, printing a generated admin key (first start only) to standard output. */
  public static TenantryServer start(ServerConfig config) {
    return start(config, System.out);
  }

  /** As {@link #start(ServerConfig)}, with the admin banner going to {@code out}. */
  public static TenantryServer start(ServerConfig config, PrintStream out) {
    return start(config, out, null);
  }

  /** As {@link #start(ServerConfig, PrintStream)}, with alert rules reading {@code stats} (null: the statistics the SDKs report). */
  public static TenantryServer start(ServerConfig config, PrintStream out, StatsView stats) {
    TenantryServer server = new TenantryServer(config, stats);
    try {
      server.run(out);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void run(PrintStream out) {
    Clock clock = Clock.systemUTC();
    resources.push(DataDirLock.acquire(config.dataDir()));
    Store store = open(config);
    resources.push(store);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    resources.push(meters::close);
    WatchSettings watchSettings = new WatchSettings(config.watchHistory(), config.watchBookmarkInterval(),
        config.watchMaxQueuedEvents(), config.watchMaxLongPollWait());
    InMemoryChangeFeed feed = new InMemoryChangeFeed(store.revisions(), watchSettings, meters);
    resources.push(feed);

    List<Consumer<String>> dropHooks = new ArrayList<>();
    List<Consumer<RoutesConfig>> moreRoutes = new ArrayList<>();
    NamespaceService namespaces = new NamespaceService(store.namespaces(), feed, clock,
        ns -> dropHooks.forEach(h -> h.accept(ns)));
    TenantService tenants = new TenantService(store.tenants(), feed, namespaces);
    PolicyService policies = new PolicyService(store.policies(), feed, namespaces, clock);
    ApiKeyService keys = new ApiKeyService(store.apiKeys(), namespaces, clock);
    dropHooks.add(keys::forgetNamespace);

    Registry registry = new Registry(registrySettings(config), feed, clock, meters);
    resources.push(registry);
    endFirst.add(registry);
    endFirst.add(feed);
    dropHooks.add(registry::dropNamespace);
    moreRoutes.add(routes -> RegistryRoutes.install(routes, registry, namespaces, watchSettings));
    moreRoutes.add(routes -> WatchRoutes.install(routes, feed, namespaces, watchSettings));
    StatsStore reported = new StatsStore(StatsSettings.DEFAULT, clock, meters);
    dropHooks.add(reported::dropNamespace);
    moreRoutes.add(routes -> StatsRoutes.install(routes, reported, namespaces));

    TraceMeters traceMeters = new TraceMeters(meters);
    TraceCollector traces = new TraceCollector(config.trace(), store.spans(), clock, traceMeters);
    resources.push(traces);
    dropHooks.add(traces::dropNamespace);
    moreRoutes.add(routes -> TraceRoutes.install(routes, traces, keys, namespaces, traceMeters));

    WebhookNotifier webhooks = new WebhookNotifier(store.alerts(), config.alerts(), clock,
        () -> app == null ? null : baseUri().toString(), meters);
    resources.push(webhooks);
    AlertPolicies alertPolicies = () -> namespaces.list().stream().collect(Collectors.toMap(Namespace::name,
        ns -> store.policies().list(ns.name(), PolicyKind.ALERT, null)));
    AlertEvaluator alertEvaluator = new AlertEvaluator(alertPolicies, stats == null ? reported : stats,
        store.alerts(), webhooks, clock, config.alerts(), meters);
    resources.push(alertEvaluator);
    AlertService alerts = new AlertService(alertEvaluator, store.alerts(), namespaces);
    moreRoutes.add(routes -> AlertRoutes.install(routes, alerts));

    Transactions transactions = new Transactions(store, tenants, registry, config.tx(), clock, meters, traces);
    resources.push(transactions);
    moreRoutes.add(0, routes -> TxRoutes.install(routes, transactions.coordinator(), transactions.keys(), namespaces));

    namespaces.start();
    keys.start();
    Optional<String> generated = keys.bootstrapAdmin(config.adminKey());
    adminKey = generated.orElse(config.adminKey());
    feed.start();
    registry.start();
    alertEvaluator.start();
    traces.start();
    transactions.start();

    HttpApp.Services services = new HttpApp.Services(namespaces, tenants, policies, keys, feed, meters,
        store::healthy);
    app = HttpApp.create(config.host(), config.port(), services, moreRoutes, config.trace().maxBodyBytes());
    app.start();
    generated.ifPresent(key -> AdminBanner.print(out, key, baseUri().toString()));
    LOG.info("Tenantry control plane listening on {} (store: {})", baseUri(),
        config.storeUrl() == null ? "embedded H2 in " + config.dataDir().toAbsolutePath() : config.storeUrl());
  }

  /** Closes the listening sockets: a connection attempt from now on is refused rather than accepted and left unserved. */
  private static void stopAccepting(Server jetty) {
    for (Connector connector : jetty.getConnectors()) {
      connector.shutdown();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
    }
  }

  /** Self-preservation off means any share of instances may lapse in one pass. */
  static RegistrySettings registrySettings(ServerConfig config) {
    return new RegistrySettings(config.leaseDefault(), config.leaseMin(), config.leaseMax(), config.reaperInterval(),
        config.selfPreservation() ? config.selfPreservationThreshold() : 1.0, config.selfPreservationMinInstances(),
        config.selfPreservationMaxHold());
  }

  private static Store open(ServerConfig config) {
    if (config.storeUrl() == null) {
      StoreSettings h2 = StoreSettings.h2File(config.dataDir());
      return JdbcStore.open(new StoreSettings(h2.url(), h2.user(), h2.password(), config.storeSchema(),
          config.storePoolSize()));
    }
    return JdbcStore.open(new StoreSettings(config.storeUrl(), config.storeUser(), config.storePassword(),
        config.storeSchema(), config.storePoolSize()));
  }

  /** The port it listens on (the chosen one when configured with 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public URI baseUri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /**
   * The platform-admin key if it was configured ({@code admin.key}) or generated by this start; null
   * otherwise (a generated key is shown only on the start that created it).
   */
  public String adminKey() {
    return adminKey;
  }

  /** Every HTTP route as {@code "METHOD /path/{param}"}, sorted: what the OpenAPI test holds the document to. */
  List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(e -> e.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .distinct()
        .sorted()
        .toList();
  }

  public ServerConfig config() {
    return config;
  }

  /**
   * Stops promptly and cleanly: stops accepting connections (new ones are refused), ends watch streams
   * and answers long-polls, lets the requests in flight be answered ({@link HttpApp#STOP_TIMEOUT_MILLIS}
   * at most) and closes every connection, then closes the registry, the feed and the store. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (app != null) {
      try {
        stopAccepting(app.jettyServer().server());
      } catch (RuntimeException e) {
        LOG.warn("closing the listening sockets failed; stopping the HTTP server anyway", e);
      }
    }
    // Requests that would otherwise hold the graceful stop until its timeout: watch streams and long-polls.
    for (AutoCloseable streams : endFirst) {
      closeQuietly(streams);
    }
    if (app != null) {
      try {
        app.stop(); // graceful: answers the requests in flight (HttpApp.STOP_TIMEOUT_MILLIS at most), then closes
      } catch (RuntimeException e) {
        // Jetty stops everything and only then reports that the graceful wait ran out: the rest must still close
        LOG.warn("requests still in flight after {} ms were cut off: {}", HttpApp.STOP_TIMEOUT_MILLIS, e.toString());
      }
    }
    while (!resources.isEmpty()) {
      closeQuietly(resources.pop());
    }
    LOG.info("Tenantry control plane stopped");
  }
}
