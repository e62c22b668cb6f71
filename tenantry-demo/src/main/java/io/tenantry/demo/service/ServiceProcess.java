package io.tenantry.demo.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.Json;
import io.tenantry.client.Registration;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.demo.service.Router.Response;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.Wallets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of a demo service: a JDK {@code HttpServer} with the inbound tenant filter, a
 * Tenantry client that registers it (heartbeats and re-registration are the SDK's), and the service's
 * routes plus {@code /health}, {@code /stats}, the peer replication route and {@code /metrics} (Prometheus text of
 * the SDK's meters, anonymous and outside the tenant filter, as the control plane's); order and payment
 * keep their books in their service's database. {@link #start()} opens the database, binds and
 * registers; {@link #close()} deregisters first (DRAINING, then gone), then stops serving and closes the
 * database.
 * Not thread-safe for start/close; serving is.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
  /**
   * Where the paths that are not the service's calls live (peers' replicated writes, the launcher's fault
   * switch and polls): outside the governed door and its statistics.
   */
  public static final String INTERNAL = "/internal";

  private final ServiceConfig config;
  private final ObjectMapper json = Json.newMapper();
  private final Counters counters = new Counters();
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private TenantryClient client;
  private HttpServer server;
  private ExecutorService executor;
  private Registration registration;
  private Database database;

  public ServiceProcess(ServiceConfig config) {
    this.config = config;
  }

  /** Binds the port, starts serving and registers the instance. Returns the port it listens on. */
  public int start() throws IOException {
    String service = config.kind().serviceName();
    if (config.kind().keepsBooks()) {
      database = Database.open(config.instanceId() + "-db", config.database(),
          config.kind() == ServiceConfig.Kind.ORDER ? OrderBook.SCHEMA : Wallets.SCHEMA);
    }
    TenantryClient.Builder builder = TenantryClient.newBuilder()
        .environment(System.getenv()) // TENANTRY_STATS_INTERVAL, TENANTRY_TRACE_*; the options below win
        .servers(String.join(",", config.servers()))
        .namespace(config.namespace())
        .apiKey(config.apiKey())
        .serviceName(service)
        .snapshotDirectory(config.snapshotDirectory())
        .loadBalancer(Balancers.of(config.loadBalancer()))
        .meterRegistry(meters);
    if (database != null) {
      builder.transactionLog(database.dataSource()); // the branches' fence rows commit with the books
    }
    client = builder.build();
    client.start();

    Supplier<String> ids = () -> UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Replicator replicator = new Replicator(json, () -> client.instances(service), config.instanceId(), config.tenant(),
        config.apiKey());
    FaultSwitch faults = new FaultSwitch(config.failRate(), () -> ThreadLocalRandom.current().nextDouble());
    Resource resource = switch (config.kind()) {
      case USER -> new UserResource(ids, counters, replicator, json);
      case ORDER -> {
        client.http().addObserver(new CallStats(counters));
        yield new OrderResource(database, client.transactions(), new Upstreams(client.http(), json), ids, counters,
            config.instanceId(), config.version());
      }
      case PAYMENT -> new PaymentResource(database, client.transactions(), faults, counters, config.instanceId(),
          PaymentResource.haltJvm(config.instanceId()));
    };

    Router router = new Router(json, counters);
    resource.routes(router);
    for (String prefix : List.of("", INTERNAL)) { // the launcher polls the internal ones: see below
      router.route("GET", prefix + "/health", r -> new Response(200, Map.of("status", "UP", "service", service,
          "instance", config.instanceId(), "discovered", discovered())));
      router.route("GET", prefix + "/stats", r -> new Response(200, stats()));
    }
    replicator.route(router, resource);
    if (config.kind() == ServiceConfig.Kind.PAYMENT) {
      faults.route(router, new ServiceKey(config.apiKey()));
    }

    // Small answers must not wait for the client's delayed ACK (~40 ms per call): read when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, config.instanceId() + "-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    // with the client, the filter also refuses a suspended tenant
    server.createContext("/", router).getFilters().add(new TenantryHttpFilter(client));
    server.createContext("/metrics", this::metrics); // no filter: anonymous, not a tenant's call
    // peers' replicated writes, the launcher's fault switch and its polls: the tenant's context, but not the
    // governed door, whose statistics count the calls of the service (every write is one more call at each
    // peer, every poll one more success: counted, they would swamp what an instance served, and hide one
    // that fails the calls made to it)
    server.createContext(INTERNAL + "/", router).getFilters().add(new TenantryHttpFilter());
    server.start();
    int port = server.getAddress().getPort();

    registration = client.register(service, new InstanceSpec(config.instanceId(), config.host(), port, config.version(),
        config.zone(), null, null, Map.of("app", "tenantry-demo"), config.tenant(), config.leaseSeconds()));
    log.info("{} serving {} on {}:{} ({})", config.instanceId(), service, config.host(), port,
        config.tenant() == null ? "shared" : "dedicated to " + config.tenant());
    return port;
  }

  /** The Prometheus text of this instance's meters; GET only. */
  private void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** How many instances of each demo service this instance's SDK cache holds now. */
  private Map<String, Integer> discovered() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ServiceConfig.Kind k : ServiceConfig.Kind.values()) {
      out.put(k.serviceName(), client.instances(k.serviceName()).size());
    }
    return out;
  }

  /** This instance's counters: every tenant's, or only the current tenant's when the request names one. */
  private Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", config.kind().serviceName());
    out.put("instance", config.instanceId());
    out.put("dedicatedTo", config.tenant());
    out.put("version", config.version());
    out.put("tenants", TenantContext.current()
        .<Object>map(t -> Map.of(t, counters.snapshot(t)))
        .orElseGet(counters::snapshot));
    // what the SDK says its policies did here (ejections, breaker states, refusals at the door)
    out.put("policyEffects", client.policyEffects());
    return out;
  }

  /** Time for callers to see the deregistration on their watch before this instance stops answering. */
  static final long DRAIN_GRACE_MILLIS = 300;

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
      pause(DRAIN_GRACE_MILLIS);
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(1);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (database != null) {
      database.close();
    }
    meters.close();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
