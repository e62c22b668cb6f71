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
 * users, then places orders at a steady rate, reads some back, and every few orders probes isolation
 * by asking, as this tenant, for another tenant's user and order (a leak is any answer but 404).
 * One thread per tenant. {@link #start()} once, {@link #close()} once.
 */
final class TrafficDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficDriver.class);
  /** Long enough for the order service's own retries of a payment (backoff up to 1 s between attempts). */
  private static final CallOptions CALL = CallOptions.defaults().timeout(Duration.ofSeconds(15));
  private static final int PROBE_EVERY = 5;
  private static final int KEEP_IDS = 50;

  /** What one tenant's traffic did so far. Thread-safe. */
  static final class TenantTraffic {
    final String tenant;
    final AtomicLong usersCreated = new AtomicLong();
    final AtomicLong ordersOk = new AtomicLong();
    final AtomicLong ordersFailed = new AtomicLong();
    final AtomicLong readsOk = new AtomicLong();
    final AtomicLong readsFailed = new AtomicLong();
    final AtomicLong probes = new AtomicLong();
    final AtomicLong leaks = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
    final List<String> userIds = new CopyOnWriteArrayList<>();
    final List<String> orderIds = new CopyOnWriteArrayList<>();

    TenantTraffic(String tenant) {
      this.tenant = tenant;
    }
  }

  private final GovernedHttpClient http;
  private final ObjectMapper json;
  private final int usersPerTenant;
  private final Duration interval;
  private final Map<String, TenantTraffic> traffic = new LinkedHashMap<>();
  private final ScheduledExecutorService executor;
  private final Random random = new Random();

  TrafficDriver(GovernedHttpClient http, ObjectMapper json, List<String> tenants, int usersPerTenant, Duration interval) {
    this.http = http;
    this.json = json;
    this.usersPerTenant = usersPerTenant;
    this.interval = interval;
    tenants.forEach(t -> traffic.put(t, new TenantTraffic(t)));
    this.executor = Executors.newScheduledThreadPool(tenants.size(), r -> {
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
        readBack(t);
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
    } else {
      t.ordersFailed.incrementAndGet();
      response.ifPresent(r -> t.lastError.set("POST /orders: HTTP " + r.statusCode() + " " + r.body()));
    }
  }

  private void readBack(TenantTraffic t) {
    if (t.orderIds.isEmpty()) {
      return;
    }
    String id = t.orderIds.get(t.orderIds.size() - 1);
    var r = send(t, get("http://order/orders/" + id));
    if (stopping(r)) {
      return;
    }
    if (r.isPresent() && r.get().statusCode() == 200) {
      t.readsOk.incrementAndGet();
    } else {
      t.readsFailed.incrementAndGet();
      r.ifPresent(x -> t.lastError.set("GET /orders/" + id + ": HTTP " + x.statusCode()));
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
      }
    }
  }

  private void probe(TenantTraffic t, HttpRequest request) {
    send(t, request).ifPresent(r -> {
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
