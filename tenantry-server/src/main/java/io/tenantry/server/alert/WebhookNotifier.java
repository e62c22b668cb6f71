package io.tenantry.server.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.server.store.AlertStore;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert events to their webhooks: a POST of {@link WebhookPayload} per notifier, retried on a
 * connection failure, a timeout, a 5xx, 408 or 429 with exponential backoff and jitter, up to
 * {@link AlertSettings#webhookAttempts()} attempts; each outcome is recorded on the event's delivery in the
 * {@link AlertStore}. Never blocks its caller: requests are sent asynchronously, outcomes handled on one
 * thread of its own, and at most {@link AlertSettings#webhookQueue()} deliveries are under way (beyond, new
 * ones are recorded as dropped). Redirects are not followed. Thread-safe.
 */
public final class WebhookNotifier implements AlertSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final int MAX_ERROR = 200;

  private final AlertStore store;
  private final AlertSettings settings;
  private final Clock clock;
  private final Supplier<String> externalUrl;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tenantry-webhooks"));
  /** Deliveries under way, by event id and position: what a stop marks as dropped. */
  private final Map<String, Job> underWay = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Counter delivered;
  private final Counter failed;
  private final Counter dropped;
  private final Counter retried;

  /** One delivery: an event's body to one notifier. */
  private record Job(AlertEvent event, int seq, String url, byte[] body) {
    String id() {
      return event.id() + "/" + seq;
    }
  }

  /** @param externalUrl the control plane's address, put in the payload (null while unknown) */
  public WebhookNotifier(AlertStore store, AlertSettings settings, Clock clock, Supplier<String> externalUrl,
      MeterRegistry meters) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.externalUrl = externalUrl;
    this.http = HttpClient.newBuilder().connectTimeout(settings.webhookTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.delivered = counter(meters, "delivered");
    this.failed = counter(meters, "failed");
    this.dropped = counter(meters, "dropped");
    this.retried = Counter.builder("tenantry.alerts.notifications.retries")
        .description("webhook attempts made again after a failure").register(meters);
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("tenantry.alerts.notifications").tag("outcome", outcome)
        .description("webhook deliveries of alert events, by final outcome").register(meters);
  }

  @Override
  public void send(AlertEvent event) {
    byte[] body = WebhookPayload.of(event, externalUrl.get());
    for (int seq = 0; seq < event.deliveries().size(); seq++) {
      Job job = new Job(event, seq, event.deliveries().get(seq).url(), body);
      if (size.incrementAndGet() > settings.webhookQueue()) {
        size.decrementAndGet();
        dropped.increment();
        record(job, AlertEvent.DeliveryStatus.DROPPED, 0, "delivery queue full (" + settings.webhookQueue() + ")");
        continue;
      }
      underWay.put(job.id(), job);
      schedule(job, 1, Duration.ZERO);
    }
  }

  private void schedule(Job job, int attempt, Duration delay) {
    try {
      scheduler.schedule(() -> attempt(job, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      finish(job); // stopping: close() marks what is left as dropped
    }
  }

  private void attempt(Job job, int attempt) {
    String refused = refusal(job.url());
    if (refused != null) { // not retried: the address will not become allowed
      failed.increment();
      LOG.warn("webhook {} of alert event {} not sent: {}", job.url(), job.event().id(), refused);
      record(job, AlertEvent.DeliveryStatus.FAILED, attempt - 1, refused);
      finish(job);
      return;
    }
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(job.url()))
        .timeout(settings.webhookTimeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Tenantry-Alerts")
        .header("X-Tenantry-Event", Long.toString(job.event().id()))
        .header("X-Tenantry-Attempt", Integer.toString(attempt))
        .POST(HttpRequest.BodyPublishers.ofByteArray(job.body()));
    if (settings.webhookSecret() != null) {
      request.header(WebhookPayload.TIMESTAMP, Long.toString(timestamp))
          .header(WebhookPayload.SIGNATURE, WebhookPayload.signature(settings.webhookSecret(), timestamp, job.body()));
    }
    try {
      http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
          .whenCompleteAsync((response, error) -> outcome(job, attempt, response, error), scheduler);
    } catch (RejectedExecutionException | IllegalArgumentException e) {
      outcome(job, attempt, null, e);
    }
  }

  private void outcome(Job job, int attempt, HttpResponse<Void> response, Throwable error) {
    int status = response == null ? 0 : response.statusCode();
    if (status >= 200 && status < 300) {
      delivered.increment();
      record(job, AlertEvent.DeliveryStatus.DELIVERED, attempt, null);
      finish(job);
      return;
    }
    String why = response != null ? "HTTP " + status : describe(error);
    boolean retryable = response == null || status >= 500 || status == 408 || status == 429;
    if (retryable && attempt < settings.webhookAttempts() && !scheduler.isShutdown()) {
      retried.increment();
      record(job, AlertEvent.DeliveryStatus.PENDING, attempt, why);
      schedule(job, attempt + 1, backoff(attempt));
      return;
    }
    failed.increment();
    LOG.warn("webhook {} of alert event {} failed after {} attempt(s): {}", job.url(), job.event().id(), attempt, why);
    record(job, AlertEvent.DeliveryStatus.FAILED, attempt, why);
    finish(job);
  }

  /**
   * Why {@code url} may not be called under {@code alert.webhook-networks}, or null if it may: each address its host
   * resolves to is checked now (a name may resolve elsewhere than when the policy was written). A name that does
   * not resolve is left to the attempt, which fails and is retried like any unreachable receiver.
   */
  String refusal(String url) {
    WebhookNetworks networks = settings.webhookNetworks();
    if (networks == WebhookNetworks.ANY) {
      return null;
    }
    String host = URI.create(url).getHost();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
    for (InetAddress a : addresses) {
      String why = networks.refusal(a);
      if (why != null) {
        return "its host " + host + " is " + a.getHostAddress() + ", a " + why + " address, and alert.webhook-networks"
            + " is " + networks + (networks == WebhookNetworks.PUBLIC ? " (private allows loopback and private"
            + " receivers)" : "");
      }
    }
    return null;
  }

  /** Before attempt {@code n + 1}: base × 2^(n-1), at most the maximum, the upper half of it jittered. */
  Duration backoff(int attempt) {
    long base = settings.webhookBackoff().toMillis();
    long max = settings.webhookMaxBackoff().toMillis();
    long full = Math.min(max, base << Math.min(attempt - 1, 30));
    long half = full / 2;
    return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
  }

  private void finish(Job job) {
    if (underWay.remove(job.id()) != null) {
      size.decrementAndGet();
    }
  }

  private void record(Job job, AlertEvent.DeliveryStatus status, int attempts, String error) {
    try {
      store.delivery(job.event().id(), job.seq(), new AlertEvent.Delivery(job.url(), status, attempts, error,
          Instant.now(clock)));
    } catch (RuntimeException e) {
      LOG.warn("the outcome of webhook {} of alert event {} could not be recorded", job.url(), job.event().id(), e);
    }
  }

  /** The failure as its type and message (what the client threw, not its async wrapper). */
  private static String describe(Throwable error) {
    Throwable e = error;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return m.length() > MAX_ERROR ? m.substring(0, MAX_ERROR) : m;
  }

  /** Deliveries under way (waiting for an attempt or an answer). */
  int underWay() {
    return size.get();
  }

  /** Stops: deliveries still under way are recorded as dropped. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Job job : underWay.values()) {
      record(job, AlertEvent.DeliveryStatus.DROPPED, 0, "the control plane stopped first");
      finish(job);
    }
  }
}
