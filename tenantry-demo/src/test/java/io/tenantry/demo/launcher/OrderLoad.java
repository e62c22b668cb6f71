package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.client.CallOptions;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos test's orders: {@code count} orders at a steady pace across the tenants, each for one of the
 * tenant's users and a random amount, a share of them with a short transaction timeout
 * ({@code payWithin}) and a share of those placed refunded at once (a saga), sent through the driver's SDK
 * with at most {@code concurrency} in flight. Every answer is counted per tenant by outcome ({@code 201},
 * {@code 409 insufficient-funds}, {@code 503 …}, or the exception of a call that got no answer), refunds
 * apart. Thread-safe.
 */
final class OrderLoad {
  /** Long enough for the order service to wait out its payment's retries and the commit. */
  static final CallOptions CALL = CallOptions.defaults().timeout(Duration.ofSeconds(40)).maxAttempts(1);

  private final TenantryClient client;
  private final ObjectMapper json;
  private final Map<String, List<String>> users;
  private final Random random;
  private final Map<String, Map<String, AtomicLong>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicLong>> refunds = new ConcurrentHashMap<>();
  private final AtomicLong shortTimeouts = new AtomicLong();

  OrderLoad(TenantryClient client, ObjectMapper json, Map<String, List<String>> users, Random random) {
    this.client = client;
    this.json = json;
    this.users = users;
    this.random = random;
  }

  /**
   * Sends {@code count} orders, one every {@code interval}, tenants in turn; {@code shortShare} of them
   * with {@code payWithin} = {@code shortTimeout}. Returns when every order has its answer.
   */
  void run(int count, Duration interval, int concurrency, double shortShare, String shortTimeout, double refundShare)
      throws InterruptedException {
    List<String> tenants = new ArrayList<>(users.keySet());
    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(concurrency);
    try {
      List<ScheduledFuture<?>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String tenant = tenants.get(i % tenants.size());
        List<String> ids = users.get(tenant);
        String user = ids.get(random.nextInt(ids.size()));
        long amount = 100 + random.nextInt(9_900);
        String payWithin = random.nextDouble() < shortShare ? shortTimeout : null;
        boolean refund = random.nextDouble() < refundShare;
        sent.add(pacer.schedule(() -> {
          String placed = place(tenant, user, amount, payWithin);
          if (placed != null && refund) {
            refund(tenant, placed);
          }
        }, interval.toMillis() * i, TimeUnit.MILLISECONDS));
      }
      for (ScheduledFuture<?> f : sent) {
        try {
          f.get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException("an order did not finish: " + e, e);
        }
      }
    } finally {
      pacer.shutdownNow();
    }
  }

  /** Places one order; returns its id if it was placed (201), else null. */
  private String place(String tenant, String user, long amount, String payWithin) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("userId", user, "amount", amount));
    if (payWithin != null) {
      body.put("payWithin", payWithin);
      shortTimeouts.incrementAndGet();
    }
    HttpResponse<String> r = send(tenant, "http://order/orders", body, outcomes);
    return r != null && r.statusCode() == 201 ? field(r.body(), "id") : null;
  }

  /** Refunds a placed order (a saga); counted apart from the orders. */
  private void refund(String tenant, String orderId) {
    send(tenant, "http://order/orders/" + orderId + "/refund", Map.of(), refunds);
  }

  private HttpResponse<String> send(String tenant, String uri, Map<String, Object> body,
      Map<String, Map<String, AtomicLong>> counted) {
    String outcome;
    HttpResponse<String> r = null;
    try (TenantContext.Scope ignored = TenantContext.enter(tenant)) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
      r = client.http().send(request, HttpResponse.BodyHandlers.ofString(), CALL);
      outcome = r.statusCode() / 100 == 2 ? String.valueOf(r.statusCode()) : r.statusCode() + " " + field(r.body(), "type")
          .replaceAll(".*/", "");
    } catch (IOException | RuntimeException e) {
      outcome = "no answer: " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    }
    counted.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o -> new AtomicLong())
        .incrementAndGet();
    return r;
  }

  private String field(String body, String name) {
    try {
      return json.readTree(body).path(name).asText("");
    } catch (IOException e) {
      return "(not JSON)";
    }
  }

  /** Tenant → outcome → how many orders ended so. */
  Map<String, Map<String, Long>> outcomes() {
    return counts(outcomes);
  }

  /** Tenant → outcome → how many refunds ended so. */
  Map<String, Map<String, Long>> refunds() {
    return counts(refunds);
  }

  private static Map<String, Map<String, Long>> counts(Map<String, Map<String, AtomicLong>> counted) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counted.forEach((t, m) -> {
      Map<String, Long> counts = new TreeMap<>();
      m.forEach((o, n) -> counts.put(o, n.get()));
      out.put(t, counts);
    });
    return out;
  }

  long count(String outcome) {
    return outcomes.values().stream().mapToLong(m -> m.getOrDefault(outcome, new AtomicLong()).get()).sum();
  }

  long tried() {
    return outcomes.values().stream().flatMap(m -> m.values().stream()).mapToLong(AtomicLong::get).sum();
  }

  long shortTimeouts() {
    return shortTimeouts.get();
  }
}
