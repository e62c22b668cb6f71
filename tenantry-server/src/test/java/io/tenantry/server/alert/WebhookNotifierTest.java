package io.tenantry.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Json;
import io.tenantry.api.Namespace;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.MutableClock;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook deliveries to a real HTTP receiver (the JDK's server): retries, outcomes, signature, queue bound. */
class WebhookNotifierTest {
  static final String SECRET = "0123456789abcdef-secret";
  /** The receiver is on loopback: allowed by {@code private}, not by the default {@code public}. */
  static final AlertSettings FAST = AlertSettings.DEFAULTS.withWebhookAttempts(4)
      .withWebhookBackoff(Duration.ofMillis(20)).withWebhookTimeout(Duration.ofSeconds(2)).withWebhookSecret(SECRET)
      .withWebhookNetworks(WebhookNetworks.PRIVATE);

  /** One request the receiver got. */
  record Received(byte[] body, String signature, String timestamp, String attempt) {}

  @TempDir
  Path dataDir;
  Store store;
  HttpServer receiver;
  final List<Received> received = new CopyOnWriteArrayList<>();
  /** Answers, in order, then 200 for every later request. */
  final List<Integer> answers = new CopyOnWriteArrayList<>();
  final AtomicInteger served = new AtomicInteger();
  volatile CountDownLatch hold = new CountDownLatch(0);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  WebhookNotifier notifier;

  @BeforeEach
  void start() throws IOException {
    store = JdbcStore.open(StoreSettings.h2File(dataDir));
    store.namespaces().insert(new Namespace("shop", "", java.time.Instant.now(), 1));
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.createContext("/hook", exchange -> {
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      received.add(new Received(exchange.getRequestBody().readAllBytes(),
          exchange.getRequestHeaders().getFirst("X-Tenantry-Signature"),
          exchange.getRequestHeaders().getFirst("X-Tenantry-Timestamp"),
          exchange.getRequestHeaders().getFirst("X-Tenantry-Attempt")));
      int n = served.getAndIncrement();
      exchange.sendResponseHeaders(n < answers.size() ? answers.get(n) : 200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    receiver.stop(0);
    store.close();
  }

  String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  WebhookNotifier notifier(AlertSettings settings) {
    notifier = new WebhookNotifier(store.alerts(), settings, new MutableClock(), () -> "http://tenantry.example", meters);
    return notifier;
  }

  AlertEvent stored(String... urls) {
    List<AlertEvent.Delivery> deliveries = java.util.Arrays.stream(urls)
        .map(u -> new AlertEvent.Delivery(u, AlertEvent.DeliveryStatus.PENDING, 0, null, java.time.Instant.now())).toList();
    java.time.Instant at = java.time.Instant.parse("2026-03-04T05:06:07Z");
    return store.alerts().append(new AlertEvent(0, "shop", "pay", "errors", "payment", "acme", null, AlertEvent.State.FIRING,
        AlertSpec.Severity.CRITICAL, AlertSpec.Metric.ERROR_RATE, null, 0.25, 0.1, 40, "1m", at, at, deliveries));
  }

  AlertEvent.Delivery delivery(AlertEvent e, int seq) {
    return store.alerts().history("shop", new HistoryQuery(null, null, null, null, null, null, null, e.id() + 1, 1))
        .get(0).deliveries().get(seq);
  }

  double count(String outcome) {
    return meters.get("tenantry.alerts.notifications").tag("outcome", outcome).counter().count();
  }

  @Test
  void retriesAFailingReceiver_untilItTakesTheEvent() throws Exception {
    answers.addAll(List.of(503, 500));
    AlertEvent e = stored(hook());

    notifier(FAST).send(e);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivery(e, 0).status() == AlertEvent.DeliveryStatus.DELIVERED);
    assertThat(delivery(e, 0).attempts()).isEqualTo(3);
    assertThat(received).extracting(Received::attempt).containsExactly("1", "2", "3");
    assertThat(count("delivered")).isEqualTo(1);
    assertThat(meters.get("tenantry.alerts.notifications.retries").counter().count()).isEqualTo(2);

    Received last = received.get(2);
    assertThat(last.signature()).isEqualTo(WebhookPayload.signature(SECRET, Long.parseLong(last.timestamp()), last.body()));
    JsonNode body = Json.newMapper().readTree(last.body());
    assertThat(body.path("version").asText()).isEqualTo("4");
    assertThat(body.path("status").asText()).isEqualTo("firing");
    JsonNode alert = body.path("alerts").path(0);
    assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("errors");
    assertThat(alert.path("labels").path("tenant").asText()).isEqualTo("acme");
    assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("startsAt").asText()).isEqualTo("2026-03-04T05:06:07Z");
    assertThat(alert.path("fingerprint").asText()).hasSize(16);
    assertThat(alert.path("generatorURL").asText()).isEqualTo("http://tenantry.example/api/v1/namespaces/shop/alerts");
    assertThat(body.path("tenantry").path("eventId").asLong()).isEqualTo(e.id());
    assertThat(body.path("tenantry").path("value").asDouble()).isEqualTo(0.25);
    assertThat(body.path("tenantry").path("threshold").asDouble()).isEqualTo(0.1);
  }

  @Test
  void aPerInstanceAlertNamesItsInstance_inTheLabelsTheSummaryAndTheFingerprint() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2026-03-04T05:06:07Z");
    AlertEvent all = new AlertEvent(7, "shop", "pay", "errors", "payment", null, null, AlertEvent.State.FIRING,
        AlertSpec.Severity.CRITICAL, AlertSpec.Metric.ERROR_RATE, null, 0.75, 0.5, 40, "10s", at, at, List.of());
    AlertEvent two = new AlertEvent(8, "shop", "pay", "errors", "payment", null, "payment-2", AlertEvent.State.FIRING,
        AlertSpec.Severity.CRITICAL, AlertSpec.Metric.ERROR_RATE, null, 0.75, 0.5, 40, "10s", at, at, List.of());

    JsonNode labels = Json.newMapper().readTree(WebhookPayload.of(two, null)).path("alerts").path(0).path("labels");
    assertThat(labels.path("instance").asText()).isEqualTo("payment-2");
    assertThat(labels.has("tenant")).isFalse();
    assertThat(Json.newMapper().readTree(WebhookPayload.of(all, null)).path("alerts").path(0).path("labels")
        .has("instance")).isFalse();
    assertThat(WebhookPayload.summary(two))
        .isEqualTo("errors on payment instance payment-2: error-rate 0.75 > 0.5 over 10s (40 calls)");
    assertThat(WebhookPayload.figure(0.5333333333333333)).isEqualTo("0.533");
    assertThat(WebhookPayload.figure(240.0)).isEqualTo("240");
    assertThat(WebhookPayload.figure(1234.5)).isEqualTo("1230");
    assertThat(two.key().fingerprint()).isNotEqualTo(all.key().fingerprint());
    // an alert of all instances keeps the fingerprint it had before alerts per instance
    assertThat(all.key().fingerprint()).isEqualTo(fnv1a("shop/pay/errors/payment/"));
  }

  private static String fnv1a(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return String.format("%016x", h);
  }

  @Test
  void byDefault_aLoopbackOrLinkLocalReceiverIsRefused_notCalled_andTheReasonRecorded() {
    AlertEvent e = stored(hook(), "http://169.254.169.254/latest/meta-data/");

    notifier(FAST.withWebhookNetworks(WebhookNetworks.PUBLIC)).send(e);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivery(e, 0).status() == AlertEvent.DeliveryStatus.FAILED
        && delivery(e, 1).status() == AlertEvent.DeliveryStatus.FAILED);
    assertThat(delivery(e, 0).attempts()).isZero();
    assertThat(delivery(e, 0).error()).contains("127.0.0.1").contains("loopback").contains("alert.webhook-networks");
    assertThat(delivery(e, 1).error()).contains("169.254.169.254").contains("link-local");
    assertThat(received).isEmpty();
    assertThat(count("failed")).isEqualTo(2);
  }

  @Test
  void privateAllowsALoopbackReceiver_butNeverTheInstanceMetadata() {
    AlertEvent e = stored(hook(), "http://169.254.169.254/latest/meta-data/");

    notifier(FAST).send(e);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivery(e, 0).status() == AlertEvent.DeliveryStatus.DELIVERED
        && delivery(e, 1).status() == AlertEvent.DeliveryStatus.FAILED);
    assertThat(delivery(e, 1).error()).contains("link-local");
  }

  @Test
  void aClientErrorIsNotRetried() {
    answers.add(404);
    AlertEvent e = stored(hook());

    notifier(FAST).send(e);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivery(e, 0).status() == AlertEvent.DeliveryStatus.FAILED);
    assertThat(delivery(e, 0).attempts()).isEqualTo(1);
    assertThat(delivery(e, 0).error()).isEqualTo("HTTP 404");
    assertThat(count("failed")).isEqualTo(1);
  }

  @Test
  void anUnreachableReceiverFailsAfterEveryAttempt_andTheOtherNotifiersStillGetTheEvent() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    AlertEvent e = stored("http://127.0.0.1:" + closed + "/hook", hook());

    notifier(FAST).send(e);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivery(e, 0).status() == AlertEvent.DeliveryStatus.FAILED
        && delivery(e, 1).status() == AlertEvent.DeliveryStatus.DELIVERED);
    assertThat(delivery(e, 0).attempts()).isEqualTo(4);
    assertThat(delivery(e, 0).error()).contains("ConnectException");
    assertThat(received).hasSize(1);
  }

  @Test
  void aFullQueueDropsNewDeliveries_andAStopDropsWhatIsUnderWay() {
    hold = new CountDownLatch(1);
    AlertEvent first = stored(hook());
    AlertEvent second = stored(hook());
    WebhookNotifier n = notifier(FAST.withWebhookQueue(1));

    n.send(first);
    n.send(second);

    assertThat(delivery(second, 0).status()).isEqualTo(AlertEvent.DeliveryStatus.DROPPED);
    assertThat(delivery(second, 0).error()).contains("queue full");
    assertThat(count("dropped")).isEqualTo(1);
    n.close();
    hold.countDown();
    assertThat(delivery(first, 0).status()).isEqualTo(AlertEvent.DeliveryStatus.DROPPED);
    assertThat(n.underWay()).isZero();
  }

  @Test
  void backoffDoublesWithinItsBounds() {
    WebhookNotifier n = notifier(AlertSettings.DEFAULTS);
    for (int attempt = 1; attempt <= 40; attempt++) {
      long full = Math.min(60_000, 1000L << Math.min(attempt - 1, 30));
      assertThat(n.backoff(attempt).toMillis()).isBetween(full / 2, full);
    }
  }
}
