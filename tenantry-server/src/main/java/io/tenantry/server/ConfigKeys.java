package io.tenantry.server;

import io.tenantry.server.trace.TraceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration key of the server, with its default, its meaning and how it is applied to a
 * {@link ServerConfig.Builder}: the one table behind the properties file, the environment, the flags
 * and {@code --help}.
 */
final class ConfigKeys {
  /** One key. {@code apply} throws IllegalArgumentException with a message for a bad value. */
  record Key(String name, String type, String defaultValue, String help, BiConsumer<ServerConfig.Builder, String> apply) {
    /** {@code server.port} → {@code TENANTRY_SERVER_PORT}. */
    String envName() {
      return "TENANTRY_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  static final List<Key> ALL = List.of(
      new Key("server.host", "host", "127.0.0.1", "interface to listen on (0.0.0.0 for every interface)",
          ServerConfig.Builder::host),
      new Key("server.port", "int", "7070", "TCP port to listen on; 0 picks a free one",
          (b, v) -> b.port(integer("server.port", v))),
      new Key("data.dir", "path", "data", "directory of the embedded database and local state",
          (b, v) -> b.dataDir(Path.of(v))),
      new Key("store.url", "jdbc-url", "", "JDBC URL of the store (jdbc:postgresql://host:5432/db); empty: embedded H2 under data.dir",
          ServerConfig.Builder::storeUrl),
      new Key("store.user", "string", "", "user of the store", ServerConfig.Builder::storeUser),
      new Key("store.password", "string", "", "password of the store", ServerConfig.Builder::storePassword),
      new Key("store.schema", "name", "", "schema of every table, created if missing; empty: the connection's default",
          ServerConfig.Builder::storeSchema),
      new Key("store.pool-size", "int", "8", "most connections to the store", (b, v) -> b.storePoolSize(integer("store.pool-size", v))),
      new Key("admin.key", "secret", "", "platform-admin API key created on the first start (20-200 of [A-Za-z0-9_-]); empty: generate and print one",
          ServerConfig.Builder::adminKey),
      new Key("registry.lease-default", "duration", "30s", "lease of an instance that registers without leaseSeconds",
          (b, v) -> b.leaseDefault(duration("registry.lease-default", v))),
      new Key("registry.lease-min", "duration", "1s", "shortest lease granted (shorter requests are raised to it)",
          (b, v) -> b.leaseMin(duration("registry.lease-min", v))),
      new Key("registry.lease-max", "duration", "1h", "longest lease granted (longer requests are lowered to it)",
          (b, v) -> b.leaseMax(duration("registry.lease-max", v))),
      new Key("registry.reaper-interval", "duration", "1s", "how often lapsed leases are looked for; watchers learn of an expiry within two",
          (b, v) -> b.reaperInterval(duration("registry.reaper-interval", v))),
      new Key("registry.self-preservation", "boolean", "true", "hold back mass lease expiry that looks like the control plane's own fault",
          (b, v) -> b.selfPreservation(bool("registry.self-preservation", v))),
      new Key("registry.self-preservation-threshold", "0..1", "0.5", "share of a namespace's instances that may lapse in one pass before the rest are held back",
          (b, v) -> b.selfPreservationThreshold(decimal("registry.self-preservation-threshold", v))),
      new Key("registry.self-preservation-min-instances", "int", "4", "namespaces with fewer instances are never held back",
          (b, v) -> b.selfPreservationMinInstances(integer("registry.self-preservation-min-instances", v))),
      new Key("registry.self-preservation-max-hold", "duration", "90s", "held-back leases expire anyway after this long",
          (b, v) -> b.selfPreservationMaxHold(duration("registry.self-preservation-max-hold", v))),
      new Key("watch.history", "int", "10000", "events kept per namespace for resuming a watch; older revisions answer 410",
          (b, v) -> b.watchHistory(integer("watch.history", v))),
      new Key("watch.bookmark-interval", "duration", "15s", "how often every watch stream gets a BOOKMARK",
          (b, v) -> b.watchBookmarkInterval(duration("watch.bookmark-interval", v))),
      new Key("watch.max-queued-events", "int", "1024", "events a stream may have queued before it is closed as too slow",
          (b, v) -> b.watchMaxQueuedEvents(integer("watch.max-queued-events", v))),
      new Key("watch.max-long-poll-wait", "duration", "60s", "longest ?wait= of a long-poll (longer values are clamped)",
          (b, v) -> b.watchMaxLongPollWait(duration("watch.max-long-poll-wait", v))),
      new Key("alert.interval", "duration", "10s", "how often every alert rule is evaluated",
          (b, v) -> b.alertInterval(duration("alert.interval", v))),
      new Key("alert.history-retention", "duration", "720h", "alert events older than this are removed (a firing alert keeps its firing event)",
          (b, v) -> b.alertHistoryRetention(duration("alert.history-retention", v))),
      new Key("alert.history-max-events", "int", "10000", "alert events kept per namespace at most, oldest removed first",
          (b, v) -> b.alertHistoryMaxEvents(integer("alert.history-max-events", v))),
      new Key("alert.webhook-timeout", "duration", "5s", "timeout of one webhook attempt",
          (b, v) -> b.alertWebhookTimeout(duration("alert.webhook-timeout", v))),
      new Key("alert.webhook-attempts", "int", "5", "attempts per webhook delivery, the first included (1-100)",
          (b, v) -> b.alertWebhookAttempts(integer("alert.webhook-attempts", v))),
      new Key("alert.webhook-backoff", "duration", "1s", "wait before the first webhook retry, doubled for each later one (jittered, at most 1m)",
          (b, v) -> b.alertWebhookBackoff(duration("alert.webhook-backoff", v))),
      new Key("alert.webhook-queue", "int", "1000", "webhook deliveries under way at most; beyond, new ones are dropped and recorded so",
          (b, v) -> b.alertWebhookQueue(integer("alert.webhook-queue", v))),
      new Key("alert.webhook-networks", "public|private|any", "public", "where webhooks may go: public (no loopback, private or link-local address), private (also loopback and private ones: a receiver inside your network), any",
          ServerConfig.Builder::alertWebhookNetworks),
      new Key("alert.webhook-secret", "secret", "", "signs every webhook (X-Tenantry-Signature: HMAC-SHA256, 16-512 characters); empty: unsigned",
          ServerConfig.Builder::alertWebhookSecret),
      new Key("trace.storage", "memory|store", "store", "where the trace collector keeps spans: memory only, or also in the store (kept across restarts)",
          (b, v) -> b.trace(t -> t.withStorage(TraceSettings.Storage.of(v)))),
      new Key("trace.retention", "duration", "24h", "how long a span is kept after it was received",
          (b, v) -> b.trace(t -> t.withRetention(duration("trace.retention", v)))),
      new Key("trace.max-spans", "int", "500000", "most spans kept over all namespaces (in memory, and in the store); the oldest traces of the largest namespace go first",
          (b, v) -> b.trace(t -> t.withMaxSpans(integer("trace.max-spans", v)))),
      new Key("trace.max-body", "bytes", "5242880", "largest span POST body, compressed and inflated; larger ones answer 413",
          (b, v) -> b.trace(t -> t.withMaxBodyBytes(integer("trace.max-body", v)))),
      new Key("trace.intake-spans", "int", "100000", "most spans accepted but not yet stored; past it a POST answers 503 with Retry-After",
          (b, v) -> b.trace(t -> t.withIntakeSpans(integer("trace.intake-spans", v)))),
      new Key("trace.intake-wait", "duration", "200ms", "how long a span POST may wait for room in a full intake before it answers 503 (0s to 10s)",
          (b, v) -> b.trace(t -> t.withIntakeWait(duration("trace.intake-wait", v)))),
      new Key("trace.max-tag-length", "int", "65536", "longest tag key, tag value or annotation of a span, in characters; longer ones answer 400",
          (b, v) -> b.trace(t -> t.withMaxTagLength(integer("trace.max-tag-length", v)))),
      new Key("trace.autocomplete-keys", "list", "tenant.id,tenantry.service,tenantry.route,tenantry.outcome",
          "tag keys whose values /api/v2/autocompleteValues offers (comma-separated)",
          (b, v) -> b.trace(t -> t.withAutocompleteKeys(list(v)))),
      new Key("tx.retry-base-backoff", "duration", "200ms", "wait before the first retry of a phase-two call (confirm, cancel, compensate), doubled for each later one, jittered",
          (b, v) -> b.tx(t -> t.withRetryBaseBackoff(duration("tx.retry-base-backoff", v)))),
      new Key("tx.retry-max-backoff", "duration", "30s", "longest wait between retries of a phase-two call (TCC retries until acknowledged)",
          (b, v) -> b.tx(t -> t.withRetryMaxBackoff(duration("tx.retry-max-backoff", v)))),
      new Key("tx.saga-max-attempts", "int", "20", "attempts of one saga compensation before the transaction is stuck for an operator",
          (b, v) -> b.tx(t -> t.withSagaMaxAttempts(integer("tx.saga-max-attempts", v)))),
      new Key("tx.phase-two-timeout", "duration", "10s", "timeout of one phase-two call to a participant, to connect and to answer",
          (b, v) -> b.tx(t -> t.withPhaseTwoTimeout(duration("tx.phase-two-timeout", v)))),
      new Key("tx.retention", "duration", "168h", "committed and rolled-back transactions are purged this long after they ended",
          (b, v) -> b.tx(t -> t.withRetention(duration("tx.retention", v)))),
      new Key("tx.scan-interval", "duration", "1s", "how often the leader times out transactions past their deadline and resumes unfinished phase two",
          (b, v) -> b.tx(t -> t.withScanInterval(duration("tx.scan-interval", v)))));

  private ConfigKeys() {}

  static Optional<Key> find(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** Comma-separated, blanks dropped. */
  static List<String> list(String v) {
    return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  static int integer(String key, String v) {
    return parse(key, v, "an integer", Integer::parseInt);
  }

  static double decimal(String key, String v) {
    return parse(key, v, "a number", Double::parseDouble);
  }

  static boolean bool(String key, String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(key + ": '" + v + "' (expected: true or false)");
    };
  }

  /** {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT15S}). */
  static Duration duration(String key, String v) {
    String s = v.trim();
    Matcher m = DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    return parse(key, s, "a duration like 500ms, 15s, 2m, 1h or PT15S", Duration::parse);
  }

  private static <T> T parse(String key, String v, String expected, Function<String, T> parser) {
    try {
      return parser.apply(v.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' (expected: " + expected + ")");
    }
  }
}
