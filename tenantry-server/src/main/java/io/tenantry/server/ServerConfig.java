package io.tenantry.server;

import io.tenantry.server.alert.AlertSettings;
import io.tenantry.server.alert.WebhookNetworks;
import io.tenantry.server.trace.TraceSettings;
import io.tenantry.server.tx.TxSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Everything the control plane is started with. Immutable; build with {@link #newBuilder()} or change
 * a copy with {@link #toBuilder()}; {@link Builder#build()} validates and says what was expected.
 * {@link ConfigLoader} fills one from a properties file, the environment and flags, keyed as listed
 * by {@code --help} ({@link ConfigKeys}).
 */
public final class ServerConfig {
  private static final Pattern ADMIN_KEY = Pattern.compile("[A-Za-z0-9_-]{20,200}");

  private final String host;
  private final int port;
  private final Path dataDir;
  private final String storeUrl;
  private final String storeUser;
  private final String storePassword;
  private final String storeSchema;
  private final int storePoolSize;
  private final String adminKey;
  private final Duration leaseDefault;
  private final Duration leaseMin;
  private final Duration leaseMax;
  private final Duration reaperInterval;
  private final boolean selfPreservation;
  private final double selfPreservationThreshold;
  private final int selfPreservationMinInstances;
  private final Duration selfPreservationMaxHold;
  private final int watchHistory;
  private final Duration watchBookmarkInterval;
  private final int watchMaxQueuedEvents;
  private final Duration watchMaxLongPollWait;
  private final AlertSettings alerts;
  private final TraceSettings trace;
  private final TxSettings tx;

  private ServerConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.dataDir = b.dataDir;
    this.storeUrl = b.storeUrl;
    this.storeUser = b.storeUser;
    this.storePassword = b.storePassword;
    this.storeSchema = b.storeSchema;
    this.storePoolSize = b.storePoolSize;
    this.adminKey = b.adminKey;
    this.leaseDefault = b.leaseDefault;
    this.leaseMin = b.leaseMin;
    this.leaseMax = b.leaseMax;
    this.reaperInterval = b.reaperInterval;
    this.selfPreservation = b.selfPreservation;
    this.selfPreservationThreshold = b.selfPreservationThreshold;
    this.selfPreservationMinInstances = b.selfPreservationMinInstances;
    this.selfPreservationMaxHold = b.selfPreservationMaxHold;
    this.watchHistory = b.watchHistory;
    this.watchBookmarkInterval = b.watchBookmarkInterval;
    this.watchMaxQueuedEvents = b.watchMaxQueuedEvents;
    this.watchMaxLongPollWait = b.watchMaxLongPollWait;
    this.alerts = b.alerts;
    this.trace = b.trace;
    this.tx = b.tx;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.dataDir = dataDir;
    b.storeUrl = storeUrl;
    b.storeUser = storeUser;
    b.storePassword = storePassword;
    b.storeSchema = storeSchema;
    b.storePoolSize = storePoolSize;
    b.adminKey = adminKey;
    b.leaseDefault = leaseDefault;
    b.leaseMin = leaseMin;
    b.leaseMax = leaseMax;
    b.reaperInterval = reaperInterval;
    b.selfPreservation = selfPreservation;
    b.selfPreservationThreshold = selfPreservationThreshold;
    b.selfPreservationMinInstances = selfPreservationMinInstances;
    b.selfPreservationMaxHold = selfPreservationMaxHold;
    b.watchHistory = watchHistory;
    b.watchBookmarkInterval = watchBookmarkInterval;
    b.watchMaxQueuedEvents = watchMaxQueuedEvents;
    b.watchMaxLongPollWait = watchMaxLongPollWait;
    b.alerts = alerts;
    b.trace = trace;
    b.tx = tx;
    return b;
  }

  /** Interface to listen on; default {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  /** TCP port; 0 picks a free one (see {@link TenantryServer#port()}). Default 7070. */
  public int port() {
    return port;
  }

  /** Directory of the embedded database and other local state; default {@code ./data}. */
  public Path dataDir() {
    return dataDir;
  }

  /** JDBC URL of the store; null means the embedded H2 file database under {@link #dataDir()}. */
  public String storeUrl() {
    return storeUrl;
  }

  public String storeUser() {
    return storeUser;
  }

  public String storePassword() {
    return storePassword;
  }

  /** Database schema of every table (created if missing); null for the connection's default. */
  public String storeSchema() {
    return storeSchema;
  }

  public int storePoolSize() {
    return storePoolSize;
  }

  /** The platform-admin key to create on the first start; null to generate and print one. */
  public String adminKey() {
    return adminKey;
  }

  /** Lease of an instance that registers without {@code leaseSeconds}. */
  public Duration leaseDefault() {
    return leaseDefault;
  }

  /** Shortest lease granted; shorter requests are raised to it. */
  public Duration leaseMin() {
    return leaseMin;
  }

  /** Longest lease granted; longer requests are lowered to it. */
  public Duration leaseMax() {
    return leaseMax;
  }

  /** How often expired leases are looked for. */
  public Duration reaperInterval() {
    return reaperInterval;
  }

  /** Whether mass lease expiry is held back when it looks like the control plane's own fault. */
  public boolean selfPreservation() {
    return selfPreservation;
  }

  /**
   * Share of a namespace's instances that may lapse in one reaper pass before the server suspects its
   * own fault and holds them back.
   */
  public double selfPreservationThreshold() {
    return selfPreservationThreshold;
  }

  /** Namespaces with fewer instances are never held back. */
  public int selfPreservationMinInstances() {
    return selfPreservationMinInstances;
  }

  /** Held-back leases expire anyway after this long. */
  public Duration selfPreservationMaxHold() {
    return selfPreservationMaxHold;
  }

  public int watchHistory() {
    return watchHistory;
  }

  public Duration watchBookmarkInterval() {
    return watchBookmarkInterval;
  }

  public int watchMaxQueuedEvents() {
    return watchMaxQueuedEvents;
  }

  public Duration watchMaxLongPollWait() {
    return watchMaxLongPollWait;
  }

  /** How alerts are evaluated, kept and delivered ({@code alert.*}). */
  public AlertSettings alerts() {
    return alerts;
  }

  /** How the trace collector keeps and takes spans ({@code trace.*} keys). */
  public TraceSettings trace() {
    return trace;
  }

  /** How the transaction coordinator retries, times out and keeps transactions ({@code tx.*} keys). */
  public TxSettings tx() {
    return tx;
  }

  /** Secrets (admin key, store password) are never part of the text form. */
  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", storeUrl="
        + (storeUrl == null ? "(embedded H2)" : storeUrl) + ", storeSchema=" + storeSchema + ", adminKey="
        + (adminKey == null ? "(none)" : "(set)") + "]";
  }

  /** Collects settings; not thread-safe. Every setter checks its value at once. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 7070;
    private Path dataDir = Path.of("data");
    private String storeUrl;
    private String storeUser = "";
    private String storePassword = "";
    private String storeSchema;
    private int storePoolSize = 8;
    private String adminKey;
    private Duration leaseDefault = Duration.ofSeconds(30);
    private Duration leaseMin = Duration.ofSeconds(1);
    private Duration leaseMax = Duration.ofHours(1);
    private Duration reaperInterval = Duration.ofSeconds(1);
    private boolean selfPreservation = true;
    private double selfPreservationThreshold = 0.5;
    private int selfPreservationMinInstances = 4;
    private Duration selfPreservationMaxHold = Duration.ofSeconds(90);
    private int watchHistory = 10_000;
    private Duration watchBookmarkInterval = Duration.ofSeconds(15);
    private int watchMaxQueuedEvents = 1024;
    private Duration watchMaxLongPollWait = Duration.ofSeconds(60);
    private AlertSettings alerts = AlertSettings.DEFAULTS;
    private TraceSettings trace = TraceSettings.defaults();
    private TxSettings tx = TxSettings.DEFAULTS;

    private Builder() {}

    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host: '' (expected: an interface name or address, e.g. 0.0.0.0)");
      }
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 for any free port)");
      }
      this.port = port;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** A {@code jdbc:postgresql:} or {@code jdbc:h2:} URL, or null/blank for the embedded default. */
    public Builder storeUrl(String storeUrl) {
      if (storeUrl != null && !storeUrl.isBlank() && !storeUrl.startsWith("jdbc:postgresql:") && !storeUrl.startsWith("jdbc:h2:")) {
        throw new IllegalArgumentException("store.url: '" + storeUrl + "' (expected: jdbc:postgresql://host:port/db or jdbc:h2:…)");
      }
      this.storeUrl = storeUrl == null || storeUrl.isBlank() ? null : storeUrl;
      return this;
    }

    public Builder storeUser(String storeUser) {
      this.storeUser = storeUser == null ? "" : storeUser;
      return this;
    }

    public Builder storePassword(String storePassword) {
      this.storePassword = storePassword == null ? "" : storePassword;
      return this;
    }

    public Builder storeSchema(String storeSchema) {
      if (storeSchema != null && !storeSchema.isBlank() && !storeSchema.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("store.schema: '" + storeSchema + "' (expected: [a-z_][a-z0-9_]*, up to 63 characters)");
      }
      this.storeSchema = storeSchema == null || storeSchema.isBlank() ? null : storeSchema;
      return this;
    }

    public Builder storePoolSize(int storePoolSize) {
      this.storePoolSize = atLeast("store.pool-size", storePoolSize, 1);
      return this;
    }

    /** 20 to 200 of {@code [A-Za-z0-9_-]}, or null to generate one on the first start. */
    public Builder adminKey(String adminKey) {
      if (adminKey != null && !adminKey.isEmpty() && !ADMIN_KEY.matcher(adminKey).matches()) {
        throw new IllegalArgumentException("admin.key: " + adminKey.length()
            + " characters (expected: 20 to 200 of [A-Za-z0-9_-])");
      }
      this.adminKey = adminKey == null || adminKey.isEmpty() ? null : adminKey;
      return this;
    }

    public Builder leaseDefault(Duration leaseDefault) {
      this.leaseDefault = positive("registry.lease-default", leaseDefault);
      return this;
    }

    public Builder leaseMin(Duration leaseMin) {
      this.leaseMin = positive("registry.lease-min", leaseMin);
      return this;
    }

    public Builder leaseMax(Duration leaseMax) {
      this.leaseMax = positive("registry.lease-max", leaseMax);
      return this;
    }

    public Builder reaperInterval(Duration reaperInterval) {
      this.reaperInterval = positive("registry.reaper-interval", reaperInterval);
      return this;
    }

    public Builder selfPreservation(boolean selfPreservation) {
      this.selfPreservation = selfPreservation;
      return this;
    }

    public Builder selfPreservationThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("registry.self-preservation-threshold: " + threshold + " (expected: > 0 and <= 1)");
      }
      this.selfPreservationThreshold = threshold;
      return this;
    }

    public Builder selfPreservationMinInstances(int instances) {
      this.selfPreservationMinInstances = atLeast("registry.self-preservation-min-instances", instances, 1);
      return this;
    }

    public Builder selfPreservationMaxHold(Duration hold) {
      this.selfPreservationMaxHold = positive("registry.self-preservation-max-hold", hold);
      return this;
    }

    public Builder watchHistory(int events) {
      this.watchHistory = atLeast("watch.history", events, 1);
      return this;
    }

    public Builder watchBookmarkInterval(Duration interval) {
      this.watchBookmarkInterval = positive("watch.bookmark-interval", interval);
      return this;
    }

    public Builder watchMaxQueuedEvents(int events) {
      this.watchMaxQueuedEvents = atLeast("watch.max-queued-events", events, 1);
      return this;
    }

    public Builder watchMaxLongPollWait(Duration wait) {
      this.watchMaxLongPollWait = positive("watch.max-long-poll-wait", wait);
      return this;
    }

    public Builder alertInterval(Duration interval) {
      alerts = alerts.withInterval(positive("alert.interval", interval));
      return this;
    }

    public Builder alertHistoryRetention(Duration retention) {
      alerts = alerts.withRetention(positive("alert.history-retention", retention));
      return this;
    }

    public Builder alertHistoryMaxEvents(int events) {
      alerts = alerts.withMaxEvents(atLeast("alert.history-max-events", events, 1));
      return this;
    }

    public Builder alertWebhookTimeout(Duration timeout) {
      alerts = alerts.withWebhookTimeout(positive("alert.webhook-timeout", timeout));
      return this;
    }

    public Builder alertWebhookAttempts(int attempts) {
      if (attempts > 100) {
        throw new IllegalArgumentException("alert.webhook-attempts: " + attempts + " (expected: 1 to 100)");
      }
      alerts = alerts.withWebhookAttempts(atLeast("alert.webhook-attempts", attempts, 1));
      return this;
    }

    public Builder alertWebhookBackoff(Duration backoff) {
      alerts = alerts.withWebhookBackoff(positive("alert.webhook-backoff", backoff));
      return this;
    }

    public Builder alertWebhookQueue(int deliveries) {
      alerts = alerts.withWebhookQueue(atLeast("alert.webhook-queue", deliveries, 1));
      return this;
    }

    /** {@code public} (the default), {@code private} or {@code any}: see {@link WebhookNetworks}. */
    public Builder alertWebhookNetworks(String networks) {
      alerts = alerts.withWebhookNetworks(WebhookNetworks.of(networks));
      return this;
    }

    /** 16 to 512 characters, or null/empty for unsigned webhooks. */
    public Builder alertWebhookSecret(String secret) {
      if (secret != null && !secret.isEmpty() && (secret.length() < 16 || secret.length() > 512)) {
        throw new IllegalArgumentException("alert.webhook-secret: " + secret.length()
            + " characters (expected: 16 to 512)");
      }
      alerts = alerts.withWebhookSecret(secret == null || secret.isEmpty() ? null : secret);
      return this;
    }

    public Builder trace(TraceSettings trace) {
      this.trace = Objects.requireNonNull(trace, "trace");
      return this;
    }

    /** Changes the trace settings set so far, e.g. {@code b.trace(t -> t.withRetention(d))}. */
    public Builder trace(UnaryOperator<TraceSettings> change) {
      return trace(change.apply(trace));
    }

    public Builder tx(TxSettings tx) {
      this.tx = Objects.requireNonNull(tx, "tx");
      return this;
    }

    /** Changes the transaction settings set so far, e.g. {@code b.tx(t -> t.withRetention(d))}. */
    public Builder tx(UnaryOperator<TxSettings> change) {
      return tx(change.apply(tx));
    }

    /** Checks the settings together and returns the immutable configuration. */
    public ServerConfig build() {
      if (leaseMin.compareTo(leaseMax) > 0) {
        throw new IllegalArgumentException("registry.lease-min: " + leaseMin + " (expected: <= registry.lease-max " + leaseMax + ")");
      }
      if (leaseDefault.compareTo(leaseMin) < 0 || leaseDefault.compareTo(leaseMax) > 0) {
        throw new IllegalArgumentException("registry.lease-default: " + leaseDefault + " (expected: " + leaseMin + ".." + leaseMax + ")");
      }
      return new ServerConfig(this);
    }

    private static int atLeast(String key, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(key + ": " + value + " (expected: >= " + min + ")");
      }
      return value;
    }

    private static Duration positive(String key, Duration d) {
      Objects.requireNonNull(d, key);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(key + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
