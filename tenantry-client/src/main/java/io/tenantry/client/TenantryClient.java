package io.tenantry.client;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.client.internal.ClientConfig;
import io.tenantry.client.internal.ClientCore;
import io.tenantry.client.internal.EmptyPushGuard;
import io.tenantry.client.internal.trace.TraceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.policy.DurationText;
import io.tenantry.client.internal.metrics.MetricsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Tenantry SDK for one namespace: registers this process's instances, discovers others through
 * one watch stream and a local cache, and makes governed HTTP calls to them.
 *
 * <pre>{@code
 * try (TenantryClient client = TenantryClient.newBuilder().servers("http://127.0.0.1:8848")
 *     .namespace("shop").apiKey(key).serviceName("order").build().start()) {
 *   client.register("order", new InstanceSpec("order-1", "127.0.0.1", 8081, null, null, null, null, null, null, null));
 *   HttpResponse<String> r = client.http().send(HttpRequest.newBuilder(URI.create("http://payment/pay")).build(),
 *       BodyHandlers.ofString());
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #newBuilder()}…{@link Builder#build() build()} has no side effect;
 * {@link #start()} loads the on-disk snapshot, opens the watch stream and returns at once;
 * {@link #close()} deregisters gracefully and stops everything. A JVM shutdown hook deregisters too.
 * Several clients may live in one JVM: there is no shared state between them.
 *
 * <p>Thread-safety: thread-safe. Lookups ({@link #instances}, {@link #tenant}) of a known service are
 * lock-free reads of an immutable snapshot; only the first lookup of a service waits, at most
 * {@link Builder#firstLookupWait(Duration) firstLookupWait} (3 s), for its first list.
 */
public final class TenantryClient implements AutoCloseable {
  private final ClientConfig config;
  private final Object lock = new Object();
  private volatile ClientCore core;
  private volatile boolean closed;
  private Thread shutdownHook;

  private TenantryClient(ClientConfig config) {
    this.config = config;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A client configured from the environment: {@code TENANTRY_SERVERS} (comma separated),
   * {@code TENANTRY_NAMESPACE}, {@code TENANTRY_API_KEY}, and optionally {@code TENANTRY_SERVICE},
   * {@code TENANTRY_SNAPSHOT_DIR}, {@code TENANTRY_PROTECT_THRESHOLD}. Not started.
   */
  public static TenantryClient fromEnvironment() {
    return newBuilder().environment(System.getenv()).build();
  }

  /** Starts the client (idempotent) and returns it: loads the snapshot, opens the watch stream, returns at once. */
  public TenantryClient start() {
    synchronized (lock) {
      checkOpen();
      if (core != null) {
        return this;
      }
      ClientCore c = new ClientCore(config);
      c.start();
      if (config.shutdownHook()) {
        shutdownHook = new Thread(c::deregisterAll, "tenantry-shutdown-" + config.namespace());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      core = c;
      return this;
    }
  }

  /** The namespace this client works in. */
  public String namespace() {
    return config.namespace();
  }

  /**
   * Registers an instance of {@code service} and keeps it alive until the registration (or this
   * client) is closed. If the control plane is unreachable the registration is kept and retried in
   * the background; {@link Registration#registered()} tells when it took.
   *
   * @throws io.tenantry.api.ValidationException if {@code service} is not a valid name
   * @throws TenantryException if the control plane refuses it
   * @throws IllegalStateException if the client is not started, is closed, or already registered this id
   */
  public Registration register(String service, InstanceSpec spec) {
    Names.name("service", service);
    Objects.requireNonNull(spec, "spec");
    try {
      return started().register(service, spec);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + service + "/" + spec.id(), e);
    }
  }

  /**
   * The instances of {@code service} as the client knows them (every status; sorted by id; immutable).
   * A warm lookup never touches the network; the first lookup of a service waits at most
   * {@link Builder#firstLookupWait(Duration) firstLookupWait} for its first list, and returns an empty
   * list if the control plane cannot be reached in that time (the watch keeps trying).
   */
  public List<Instance> instances(String service) {
    Names.name("service", service);
    return started().instances(service);
  }

  /**
   * Calls {@code listener} with the new instance list of {@code service} after every change. Listeners
   * run on the client's watch thread, outside any lock, and must not block.
   */
  public Subscription subscribe(String service, Consumer<List<Instance>> listener) {
    Names.name("service", service);
    Objects.requireNonNull(listener, "listener");
    Runnable remove = started().subscribe(service, listener);
    return remove::run;
  }

  /**
   * Calls {@code listener} with every policy this client holds, now and after each change, once the change
   * governs its calls and its door (e.g. to log what is in force). Runs on the client's watch thread and must
   * not block.
   */
  public Subscription subscribePolicies(Consumer<List<io.tenantry.api.policy.Policy>> listener) {
    Objects.requireNonNull(listener, "listener");
    Runnable remove = started().subscribePolicies(listener);
    return remove::run;
  }

  /** The tenant {@code id} as the client knows it (tenants are watched), or empty if unknown. */
  public Optional<Tenant> tenant(String id) {
    Names.name("tenant", id);
    return started().tenant(id);
  }

  /** The governed HTTP client of this client. */
  public GovernedHttpClient http() {
    return started().http();
  }

  /**
   * The governance of calls made with any other transport: routing, balancing, breaker, timeouts and retries,
   * as {@link #http()} applies them. See {@link Governor}.
   *
   * @throws IllegalStateException if the client is not started
   */
  public Governor governor() {
    return started().governor();
  }

  /**
   * Distributed transactions: begin, commit or roll back around a body, sagas, and this service's TCC actions and
   * saga steps. See {@link io.tenantry.client.tx}.
   *
   * @throws IllegalStateException if the client is not started
   */
  public io.tenantry.client.tx.Transactions transactions() {
    return started().transactions();
  }

  /** The phase-two endpoint of this client while it runs, else null: for the server filters. */
  io.tenantry.client.internal.tx.PhaseTwoEndpoint phaseTwo() {
    ClientCore c = core;
    return c == null || closed ? null : c.phaseTwo();
  }

  /**
   * Makes transaction {@code xid} (of the current tenant) current until the scope closes, if the client runs and
   * a tenant is current; else null: for the server filters.
   */
  io.tenantry.client.tx.Transactions.Scope joinTransaction(String xid) {
    ClientCore c = core;
    return xid == null || c == null || closed || TenantContext.current().isEmpty() ? null
        : c.transactions().join(xid);
  }

  /** The door of this client's service while it runs, else {@code fallback}: for the server filters. */
  ServiceDoor door(ServiceDoor fallback) {
    ClientCore c = core;
    return c == null || closed ? fallback : c.door();
  }

  /**
   * The door of this client's service ({@code serviceName}) for a server without a Tenantry filter: see
   * {@link ServiceDoor}. Without a service name it checks tenants only.
   *
   * @throws IllegalStateException if the client is not started
   */
  public ServiceDoor door() {
    return started().door();
  }

  /**
   * What every policy this client applies has done so far (routes it took, calls its limits refused, breaker
   * states, ejections, and in dry-run what it would have done); empty before start.
   */
  public List<PolicyEffect> policyEffects() {
    ClientCore c = core;
    return c == null ? List.of() : c.policyEffects();
  }

  /** Counters since the client started (all zero before). */
  public ClientStats stats() {
    ClientCore c = core;
    return c == null ? new ClientStats(0, 0, 0, 0, 0, 0, 0) : c.stats();
  }

  /** Deregisters every registration gracefully, closes the watch, writes the snapshot. Idempotent. */
  @Override
  public void close() {
    ClientCore c;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = core;
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook runs anyway
        }
      }
    }
    if (c != null) {
      c.close();
    }
  }

  private ClientCore started() {
    ClientCore c = core;
    if (c == null || closed) {
      checkOpen();
      throw new IllegalStateException("client not started (expected: start() before use)");
    }
    return c;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("client closed");
    }
  }

  /**
   * Configures a {@link TenantryClient}. {@code servers}, {@code namespace} and {@code apiKey} are
   * required; {@link #build()} validates everything and throws {@link IllegalArgumentException} (a
   * {@link io.tenantry.api.ValidationException} for names) saying what was expected. Not thread-safe.
   */
  public static final class Builder {
    private List<URI> servers = List.of();
    private String namespace;
    private String apiKey;
    private String serviceName;
    private Path snapshotDirectory = Path.of(System.getProperty("java.io.tmpdir"), "tenantry", "snapshots");
    private LoadBalancer loadBalancer;
    private double protectThreshold = EmptyPushGuard.DEFAULT_THRESHOLD;
    private Duration protectHoldLimit = EmptyPushGuard.DEFAULT_HOLD_LIMIT;
    private Duration firstLookupWait = Duration.ofSeconds(3);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private boolean shutdownHook = true;
    private String zone;
    private URI clusterLimits;
    private TraceSettings tracing = TraceSettings.DEFAULT;
    private MeterRegistry meterRegistry;
    private int meterTenantLimit = MetricsSettings.DEFAULT_TENANT_TAGS;
    private Duration statsInterval = MetricsSettings.DEFAULT_STATS_INTERVAL;
    private int statsTenantLimit = MetricsSettings.DEFAULT_STATS_TENANTS;
    private javax.sql.DataSource transactionLog;

    private Builder() {}

    /** One or more control-plane base URIs, comma separated: {@code http://127.0.0.1:8848,http://10.0.0.2:8848}. */
    public Builder servers(String commaSeparated) {
      Objects.requireNonNull(commaSeparated, "servers");
      List<URI> list = new ArrayList<>();
      for (String s : commaSeparated.split(",")) {
        if (!s.isBlank()) {
          list.add(parseServer(s.trim()));
        }
      }
      return servers(list);
    }

    public Builder servers(List<URI> uris) {
      Objects.requireNonNull(uris, "servers");
      List<URI> list = new ArrayList<>();
      for (URI u : uris) {
        list.add(checkServer(Objects.requireNonNull(u, "servers[]")));
      }
      this.servers = List.copyOf(list);
      return this;
    }

    public Builder namespace(String value) {
      this.namespace = Names.name("namespace", value);
      return this;
    }

    public Builder apiKey(String value) {
      Objects.requireNonNull(value, "apiKey");
      if (value.isBlank() || value.length() > 512 || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
        throw new IllegalArgumentException("apiKey: (hidden) (expected: 1 to 512 printable ASCII characters)");
      }
      this.apiKey = value;
      return this;
    }

    /** This process's service, sent as the caller of outbound calls. Optional. */
    public Builder serviceName(String value) {
      this.serviceName = value == null ? null : Names.name("serviceName", value);
      return this;
    }

    /** Where the on-disk snapshot lives; null disables it. Default {@code ${java.io.tmpdir}/tenantry/snapshots}. */
    public Builder snapshotDirectory(Path value) {
      this.snapshotDirectory = value;
      return this;
    }

    /** Default {@link LoadBalancer#powerOfTwoChoices()}; one balancer instance per client. */
    public Builder loadBalancer(LoadBalancer value) {
      this.loadBalancer = Objects.requireNonNull(value, "loadBalancer");
      return this;
    }

    /** Empty-push protection threshold in 0..1; 0 disables it. Default 0.5. */
    public Builder protectThreshold(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("protectThreshold: " + value + " (expected: 0..1, 0 disables)");
      }
      this.protectThreshold = value;
      return this;
    }

    /** How long empty-push protection holds instances at most. Default 2 minutes. */
    public Builder protectHoldLimit(Duration value) {
      this.protectHoldLimit = positive("protectHoldLimit", value);
      return this;
    }

    /** How long the first lookup of a service waits for its first list. Default 3 s. */
    public Builder firstLookupWait(Duration value) {
      Objects.requireNonNull(value, "firstLookupWait");
      if (value.isNegative()) {
        throw new IllegalArgumentException("firstLookupWait: " + value + " (expected: >= 0)");
      }
      this.firstLookupWait = value;
      return this;
    }

    /** Timeout of each control-plane request (not of the watch stream). Default 5 s. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive("requestTimeout", value);
      return this;
    }

    /** The JDK client governed calls go through; default: one of the client's own. */
    public Builder httpClient(HttpClient value) {
      this.httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /**
     * The clock of empty-push protection holds, of the checks of the coordinator's tokens and of the fence log's
     * timestamps. Default: the system clock.
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Whether to deregister on JVM shutdown. Default true. */
    public Builder shutdownHook(boolean value) {
      this.shutdownHook = value;
      return this;
    }

    /**
     * The zone this process runs in (e.g. {@code eu-west-1a}), for route policies that prefer the caller's zone.
     * Default: none (zone preference does not apply).
     */
    public Builder zone(String value) {
      this.zone = Names.text("zone", Objects.requireNonNull(value, "zone"), 63);
      return this;
    }

    /**
     * Where this service's cluster-wide rate limits and quotas are counted: a Redis URI such as
     * {@code redis://127.0.0.1:6379}. Needs {@code bucket4j_jdk17-lettuce} and {@code lettuce-core} on the class
     * path. Default: none, so cluster-mode limits are enforced as each instance's local share.
     */
    public Builder clusterLimits(URI value) {
      Objects.requireNonNull(value, "clusterLimits");
      if (!"redis".equals(value.getScheme()) && !"rediss".equals(value.getScheme()) || value.getHost() == null) {
        throw new IllegalArgumentException("clusterLimits: '" + value + "' (expected: redis://host:port)");
      }
      this.clusterLimits = value;
      return this;
    }

    /**
     * Where sampled spans are exported: {@code control-plane} (default: {@code POST /api/v2/spans} of the servers,
     * with the API key), {@code zipkin:<url>} (any Zipkin v2 endpoint, e.g. {@code zipkin:http://127.0.0.1:9411/api/v2/spans}),
     * {@code otlp:<url>} (OTLP/HTTP, e.g. {@code otlp:http://127.0.0.1:4318/v1/traces}; needs
     * {@code opentelemetry-exporter-otlp} and {@code opentelemetry-exporter-sender-jdk}) or {@code none} (no spans;
     * trace context and the MDC still pass through). Env {@code TENANTRY_TRACE_EXPORT}.
     */
    public Builder traceExport(String value) {
      this.tracing = tracing.withExport(value);
      return this;
    }

    /**
     * The share of traces sampled where they start when no {@code tracing} policy applies, 0..1. Default 0.1.
     * Env {@code TENANTRY_TRACE_SAMPLE_RATIO}.
     */
    public Builder traceSampleRatio(double value) {
      this.tracing = tracing.withSampleRatio(value);
      return this;
    }

    /**
     * Where the client's RED meters go (outbound calls, its door's requests and refusals, breakers, ejections):
     * e.g. a {@code PrometheusMeterRegistry} served at {@code /metrics}. Default: none, no meters.
     */
    public Builder meterRegistry(MeterRegistry value) {
      this.meterRegistry = Objects.requireNonNull(value, "meterRegistry");
      return this;
    }

    /**
     * Most distinct tenants the meters tag by name; the calls of later tenants are tagged {@code _other}, so that
     * 100,000 tenants do not make 100,000 series. Default 200.
     */
    public Builder meterTenantLimit(int value) {
      if (value < 0 || value > 10_000) {
        throw new IllegalArgumentException("meterTenantLimit: " + value + " (expected: 0..10000)");
      }
      this.meterTenantLimit = value;
      return this;
    }

    /**
     * How often the per-tenant statistics (what the door served, what outbound calls got) are posted to the
     * control plane; {@link Duration#ZERO} turns them off. Default 10 s.
     */
    public Builder statsInterval(Duration value) {
      Objects.requireNonNull(value, "statsInterval");
      if (!value.isZero() && (value.toMillis() < 100 || value.compareTo(Duration.ofHours(1)) > 0)) {
        throw new IllegalArgumentException("statsInterval: " + value + " (expected: 100ms to 1h, or 0 for off)");
      }
      this.statsInterval = value;
      return this;
    }

    /** Most tenants per service and side in one interval's statistics; the rest are summed as {@code _other}. Default 200. */
    public Builder statsTenantLimit(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("statsTenantLimit: " + value + " (expected: 1..10000)");
      }
      this.statsTenantLimit = value;
      return this;
    }

    /**
     * The participant's own database, where the fence log of its transaction branches lives (table
     * {@code tenantry_tx_fence}, created if absent; H2 or PostgreSQL): each try, confirm, cancel, saga step and
     * compensation runs in one local transaction of it together with its fence row. Required to declare TCC
     * actions and saga steps ({@link io.tenantry.client.tx.Transactions#tcc}); not to begin transactions.
     * Default: none.
     */
    public Builder transactionLog(javax.sql.DataSource value) {
      this.transactionLog = Objects.requireNonNull(value, "transactionLog");
      return this;
    }

    /**
     * Reads {@code TENANTRY_SERVERS}, {@code TENANTRY_NAMESPACE}, {@code TENANTRY_API_KEY},
     * {@code TENANTRY_SERVICE}, {@code TENANTRY_SNAPSHOT_DIR}, {@code TENANTRY_PROTECT_THRESHOLD},
     * {@code TENANTRY_ZONE}, {@code TENANTRY_CLUSTER_LIMITS}, {@code TENANTRY_TRACE_EXPORT},
     * {@code TENANTRY_TRACE_SAMPLE_RATIO} and {@code TENANTRY_STATS_INTERVAL} (e.g. {@code 10s}, {@code 0} for off)
     * from {@code env} where present.
     */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      if (env.get("TENANTRY_SERVERS") != null) {
        servers(env.get("TENANTRY_SERVERS"));
      }
      if (env.get("TENANTRY_NAMESPACE") != null) {
        namespace(env.get("TENANTRY_NAMESPACE"));
      }
      if (env.get("TENANTRY_API_KEY") != null) {
        apiKey(env.get("TENANTRY_API_KEY"));
      }
      if (env.get("TENANTRY_SERVICE") != null) {
        serviceName(env.get("TENANTRY_SERVICE"));
      }
      if (env.get("TENANTRY_SNAPSHOT_DIR") != null) {
        snapshotDirectory(Path.of(env.get("TENANTRY_SNAPSHOT_DIR")));
      }
      if (env.get("TENANTRY_ZONE") != null) {
        zone(env.get("TENANTRY_ZONE"));
      }
      if (env.get("TENANTRY_CLUSTER_LIMITS") != null) {
        try {
          clusterLimits(new URI(env.get("TENANTRY_CLUSTER_LIMITS").trim()));
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("TENANTRY_CLUSTER_LIMITS: '" + env.get("TENANTRY_CLUSTER_LIMITS")
              + "' (expected: redis://host:port)");
        }
      }
      if (env.get("TENANTRY_TRACE_EXPORT") != null) {
        traceExport(env.get("TENANTRY_TRACE_EXPORT"));
      }
      String ratio = env.get("TENANTRY_TRACE_SAMPLE_RATIO");
      if (ratio != null) {
        try {
          traceSampleRatio(Double.parseDouble(ratio.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("TENANTRY_TRACE_SAMPLE_RATIO: '" + ratio + "' (expected: 0..1)");
        }
      }
      String interval = env.get("TENANTRY_STATS_INTERVAL");
      if (interval != null) {
        statsInterval(interval.trim().equals("0") ? Duration.ZERO
            : DurationText.parse("TENANTRY_STATS_INTERVAL", interval.trim(), Duration.ofMillis(100), Duration.ofHours(1)));
      }
      String threshold = env.get("TENANTRY_PROTECT_THRESHOLD");
      if (threshold != null) {
        try {
          protectThreshold(Double.parseDouble(threshold.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("TENANTRY_PROTECT_THRESHOLD: '" + threshold + "' (expected: 0..1)");
        }
      }
      return this;
    }

    public TenantryClient build() {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("servers: none (expected: one or more http(s) URIs, e.g."
            + " http://127.0.0.1:8848; env TENANTRY_SERVERS)");
      }
      if (namespace == null) {
        throw new IllegalArgumentException("namespace: missing (expected: a namespace name; env TENANTRY_NAMESPACE)");
      }
      if (apiKey == null) {
        throw new IllegalArgumentException("apiKey: missing (expected: a namespace API key; env TENANTRY_API_KEY)");
      }
      return new TenantryClient(new ClientConfig(servers, namespace, apiKey, serviceName, snapshotDirectory,
          loadBalancer == null ? LoadBalancer.powerOfTwoChoices() : loadBalancer, protectThreshold, protectHoldLimit,
          firstLookupWait, requestTimeout, httpClient, clock, shutdownHook, zone, clusterLimits, tracing,
          new MetricsSettings(meterRegistry, meterTenantLimit, statsInterval, statsTenantLimit), transactionLog));
    }

    private static URI parseServer(String s) {
      try {
        return checkServer(new URI(s));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("servers: '" + s + "' (expected: an http(s) URI like http://127.0.0.1:8848)");
      }
    }

    private static URI checkServer(URI u) {
      String scheme = u.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
          || u.getRawQuery() != null || u.getRawFragment() != null) {
        throw new IllegalArgumentException("servers: '" + u + "' (expected: an http(s) URI like http://127.0.0.1:8848)");
      }
      String path = u.getRawPath();
      return path == null || path.isEmpty() || path.equals("/") ? URI.create(scheme + "://" + u.getRawAuthority())
          : u;
    }

    private static Duration positive(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
      }
      return value;
    }
  }
}
