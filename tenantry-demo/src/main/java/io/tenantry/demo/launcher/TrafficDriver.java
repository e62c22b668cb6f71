package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.client.CallOptions;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.TenantContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives traffic for every tenant through the governed client, as a tenant's users would: creates
 * users, then places orders at a steady rate, reads some back (and refunds one in ten read back paid),
 * and every few orders probes isolation by asking, as this tenant, for another tenant's user and order
 * and a refund of it (a leak is any answer but 404).
 * One thread per tenant; and for the flooding tenant, when a flood rate is set, {@value #FLOOD_THREADS}
 * more threads placing orders at that rate in all (each paced, none catching up when a call is slow).
 * A 429 (the service's rate limit or bulkhead) is counted as refused, by its problem type, never as a
 * failure; an order's answer names the version that placed it, counted per tenant.
 * {@link #start()} once, {@link #close()} once.
 */
final class TrafficDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficDriver.class);
  /** Long enough for the order service's own retries of a payment (backoff up to 1 s between attempts). */
  private static final CallOptions CALL = CallOptions.defaults().timeout(Duration.ofSeconds(15));
  private static final int PROBE_EVERY = 5;
  /** Every so many orders, the one read back is refunded if it is paid. */
  private static final int REFUND_EVERY = 10;
  private static final int KEEP_IDS = 50;
  static final int FLOOD_THREADS = 4;
  static final int TOO_MANY_REQUESTS = 429;

  /** What one tenant's traffic did so far. Thread-safe. */
  static final class TenantTraffic {
    final String tenant;
    final AtomicLong usersCreated = new AtomicLong();
    final AtomicLong ordersOk = new AtomicLong();
    final AtomicLong ordersFailed = new AtomicLong();
    /** Orders answered 429: refused by a limit at the order service's door. */
    final AtomicLong ordersRefused = new AtomicLong();
    /** Refusals (429) of any call, by the problem type's last segment, e.g. rate-limited. */
    final Map<String, AtomicLong> refusedBy = new ConcurrentHashMap<>();
    /** Orders placed, by the version of the order instance that placed them. */
    final Map<String, AtomicLong> ordersByVersion = new ConcurrentHashMap<>();
    final AtomicLong readsOk = new AtomicLong();
    final AtomicLong readsFailed = new AtomicLong();
    /** Refunds of paid orders (each a saga): answered 200, or anything else. */
    final AtomicLong refundsOk = new AtomicLong();
    final AtomicLong refundsFailed = new AtomicLong();
    final AtomicLong probes = new AtomicLong();
    final AtomicLong leaks = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
    final List<String> userIds = new CopyOnWriteArrayList<>();
    final List<String> orderIds = new CopyOnWriteArrayList<>();

    TenantTraffic(String tenant) {
      this.tenant = tenant;
    }

    long ordersAttempted() {
      return ordersOk.get() + ordersFailed.get() + ordersRefused.get();
    }

    void refused(String type) {
      refusedBy.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet();
    }
  }

  private final GovernedHttpClient http;
  private final ObjectMapper json;
  private final int usersPerTenant;
  private final Duration interval;
  private final Map<String, TenantTraffic> traffic = new LinkedHashMap<>();
  private final ScheduledExecutorService executor;
  private final String floodingTenant;
  private final double floodRate;
  private final Random random = new Random();

  /**
   * @param floodingTenant the tenant that also floods (null: none)
   * @param floodRate      its flood's orders per second in all (0: none)
   */
  TrafficDriver(GovernedHttpClient http, ObjectMapper json, List<String> tenants, int usersPerTenant, Duration interval,
      String floodingTenant, double floodRate) {
    this.http = http;
    this.json = json;
    this.usersPerTenant = usersPerTenant;
    this.interval = interval;
    this.floodingTenant = floodingTenant;
    this.floodRate = floodRate;
    tenants.forEach(t -> traffic.put(t, new TenantTraffic(t)));
    this.executor = Executors.newScheduledThreadPool(tenants.size() + (floodRate > 0 ? FLOOD_THREADS : 0), r -> {
      Thread th = new Thread(r, "traffic");
      th.setDaemon(true);
      return th;
    });
  }

  Map<String, TenantTraffic> traffic() {
    return traffic;
  }

  void start() {
    for (TenantTraffic t : traffic.values()) {
      executor.scheduleWithFixedDelay(() -> step(t), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    TenantTraffic flooding = floodingTenant == null ? null : traffic.get(floodingTenant);
    if (flooding != null && floodRate > 0) {
      // FLOOD_THREADS senders, each at floodRate / FLOOD_THREADS, staggered; a fixed rate that is not
      // caught up: a run that takes longer than its period delays the next one instead of piling up
      long periodMicros = Math.max(1, Math.round(FLOOD_THREADS * 1_000_000 / floodRate));
      for (int i = 0; i < FLOOD_THREADS; i++) {
        executor.scheduleAtFixedRate(() -> flood(flooding), periodMicros * i / FLOOD_THREADS, periodMicros,
            TimeUnit.MICROSECONDS);
      }
    }
  }

  /** One order of the flood, once the tenant's users exist. */
  private void flood(TenantTraffic t) {
    if (t.userIds.size() < usersPerTenant) {
      return;
    }
    try (TenantContext.Scope ignored = TenantContext.enter(t.tenant)) {
      placeOrder(t);
    } catch (RuntimeException e) {
      t.lastError.set(e.toString());
    }
  }

  private void step(TenantTraffic t) {
    try (TenantContext.Scope ignored = TenantContext.enter(t.tenant)) {
      if (t.userIds.size() < usersPerTenant) {
        createUser(t);
        return;
      }
      long n = t.ordersOk.get() + t.ordersFailed.get();
      placeOrder(t);
      if (n % PROBE_EVERY == PROBE_EVERY - 1) {
        String paid = readBack(t);
        if (paid != null && n % REFUND_EVERY == REFUND_EVERY - 1) {
          refund(t, paid);
        }
        probeIsolation(t);
      }
    } catch (RuntimeException e) {
      // the executor would silently stop this tenant's traffic on an exception: count and go on
      t.lastError.set(e.toString());
      log.warn("traffic for {}: {}", t.tenant, e.toString());
    }
  }

  private void createUser(TenantTraffic t) {
    int i = t.userIds.size() + 1;
    Map<String, Object> body = Map.of("name", t.tenant + " user " + i, "email", "user" + i + "@" + t.tenant + ".example");
    send(t, post("http://user/users", body)).ifPresent(r -> {
      if (r.statusCode() == 201) {
        t.userIds.add(field(r, "id"));
        t.usersCreated.incrementAndGet();
      } else {
        t.lastError.set("POST /users: HTTP " + r.statusCode());
      }
    });
  }

  private void placeOrder(TenantTraffic t) {
    String userId = t.userIds.get(random.nextInt(t.userIds.size()));
    Map<String, Object> body = Map.of("userId", userId, "amount", 100 + random.nextInt(9_900));
    var response = send(t, post("http://order/orders", body));
    if (stopping(response)) {
      return;
    }
    if (response.isPresent() && response.get().statusCode() == 201) {
      t.ordersOk.incrementAndGet();
      remember(t.orderIds, field(response.get(), "id"));
      t.ordersByVersion.computeIfAbsent(field(response.get(), "version"), k -> new AtomicLong()).incrementAndGet();
    } else if (response.isPresent() && response.get().statusCode() == TOO_MANY_REQUESTS) {
      t.ordersRefused.incrementAndGet();
      t.refused(problemType(response.get()));
    } else {
      t.ordersFailed.incrementAndGet();
      response.ifPresent(r -> t.lastError.set("POST /orders: HTTP " + r.statusCode() + " " + r.body()));
    }
  }

  /** Reads the tenant's last order back; returns its id if it is paid, else null. */
  private String readBack(TenantTraffic t) {
    if (t.orderIds.isEmpty()) {
      return null;
    }
    String id = t.orderIds.get(t.orderIds.size() - 1);
    var r = send(t, get("http://order/orders/" + id));
    if (stopping(r)) {
      return null;
    }
    if (r.isPresent() && r.get().statusCode() == 200) {
      t.readsOk.incrementAndGet();
      return "paid".equals(field(r.get(), "status")) ? id : null;
    } else if (r.isPresent() && r.get().statusCode() == TOO_MANY_REQUESTS) {
      t.refused(problemType(r.get()));
    } else {
      t.readsFailed.incrementAndGet();
      r.ifPresent(x -> t.lastError.set("GET /orders/" + id + ": HTTP " + x.statusCode()));
    }
    return null;
  }

  /** Refunds a paid order: a saga of the order's and the payment's steps. */
  private void refund(TenantTraffic t, String id) {
    var r = send(t, post("http://order/orders/" + id + "/refund", Map.of()));
    if (stopping(r)) {
      return;
    }
    if (r.isPresent() && r.get().statusCode() == 200) {
      t.refundsOk.incrementAndGet();
    } else if (r.isPresent() && r.get().statusCode() == TOO_MANY_REQUESTS) {
      t.refused(problemType(r.get()));
    } else {
      t.refundsFailed.incrementAndGet();
      r.ifPresent(x -> t.lastError.set("POST /orders/" + id + "/refund: HTTP " + x.statusCode() + " " + x.body()));
    }
  }

  /** Asks, as {@code t}, for another tenant's user and order, and places an order for that user. */
  private void probeIsolation(TenantTraffic t) {
    for (TenantTraffic other : traffic.values()) {
      if (other == t || other.userIds.isEmpty()) {
        continue;
      }
      String foreignUser = other.userIds.get(0);
      probe(t, get("http://user/users/" + foreignUser));
      probe(t, post("http://order/orders", Map.of("userId", foreignUser, "amount", 100)));
      if (!other.orderIds.isEmpty()) {
        probe(t, get("http://order/orders/" + other.orderIds.get(0)));
        probe(t, post("http://order/orders/" + other.orderIds.get(0) + "/refund", Map.of()));
      }
    }
  }

  private void probe(TenantTraffic t, HttpRequest request) {
    send(t, request).ifPresent(r -> {
      if (r.statusCode() == TOO_MANY_REQUESTS) {
        t.refused(problemType(r)); // refused at the door: it never looked, so it is no probe
        return;
      }
      t.probes.incrementAndGet();
      if (r.statusCode() != 404) {
        t.leaks.incrementAndGet();
        t.lastError.set("isolation probe " + request.method() + " " + request.uri() + " as " + t.tenant
            + ": HTTP " + r.statusCode() + " (expected: 404)");
        log.error("{}", t.lastError.get());
      }
    });
  }

  private java.util.Optional<HttpResponse<String>> send(TenantTraffic t, HttpRequest request) {
    try {
      return java.util.Optional.of(http.send(request, BodyHandlers.ofString(), CALL));
    } catch (IOException | RuntimeException e) {
      t.lastError.set(request.method() + " " + request.uri().getPath() + ": " + e);
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** A call cut short because the driver is stopping counts neither as success nor as failure. */
  private static boolean stopping(java.util.Optional<?> response) {
    return response.isEmpty() && Thread.currentThread().isInterrupted();
  }

  private HttpRequest post(String uri, Object body) {
    try {
      return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
          .POST(BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).GET().build();
  }

  private String field(HttpResponse<String> r, String name) {
    try {
      JsonNode node = json.readTree(r.body());
      return node.path(name).asText();
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer: " + r.body(), e);
    }
  }

  /** The last segment of a problem+json's type, e.g. {@code rate-limited}; {@code 429} if there is none. */
  private String problemType(HttpResponse<String> r) {
    try {
      String type = json.readTree(r.body()).path("type").asText("");
      return type.isEmpty() ? String.valueOf(r.statusCode()) : type.substring(type.lastIndexOf('/') + 1);
    } catch (IOException e) {
      return String.valueOf(r.statusCode());
    }
  }

  private static void remember(List<String> ids, String id) {
    ids.add(id);
    if (ids.size() > KEEP_IDS) {
      ids.remove(0);
    }
  }

  /** Stops scheduling and lets the calls in flight finish (interrupting them only after a grace period). */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(20, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
