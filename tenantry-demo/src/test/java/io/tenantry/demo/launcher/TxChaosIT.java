package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.client.CallOptions;
import io.tenantry.client.TenantContext;
import io.tenantry.demo.store.LedgerAudit.TenantBooks;
import io.tenantry.demo.store.OrderBook;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6's chaos test. The demo's services as real processes on PostgreSQL (order and payment each on a
 * database of their own, two instances of each; the control plane on a third, or on its embedded store), four tenants, 360
 * orders at ~10 a second, each one TCC global transaction (the order's reserve branch, the payment's debit
 * branch), some refunded at once (a saga: the order's refund step, the payment's credit step), while at random moments a payment instance halts its JVM between try and confirm and is
 * started again, the control plane is killed hard and started again on the same store, and a payment
 * instance's tries sleep past their callers' timeouts; some orders also carry a transaction timeout of
 * one second. Then, once the coordinator has nothing in flight, the two databases are read: for every
 * tenant money is conserved, no order is paid without its debit nor any debit done without its paid
 * order, and nothing is left pending, tried or frozen.
 */
class TxChaosIT {
  static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");
  static final int USERS_PER_TENANT = 3;
  static final int ORDERS = 360;
  static final Duration ORDER_INTERVAL = Duration.ofMillis(100);
  static final double SHORT_TIMEOUT_SHARE = 0.15;
  static final String SHORT_TIMEOUT = "1s";
  static final double REFUND_SHARE = 0.15;
  static final List<String> IN_FLIGHT = List.of("active", "committing", "rolling-back");

  private final ObjectMapper json = Json.newMapper();
  private final PrintStream out = new PrintStream(System.out, true);
  private final Random random = new Random();

  /**
   * The coordinator's log on PostgreSQL, and on its embedded default (H2 with the journal in front of it), where a
   * hard kill cuts off the journal's write behind and the next start applies the journal again.
   */
  @ParameterizedTest(name = "control plane store: {0}")
  @ValueSource(strings = {"postgres", "embedded"})
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void ordersUnderChaos_leaveEveryTenantsBooksConsistent(String controlPlaneStore) throws Exception {
    // the faults' choices and moments (not the machine's timing) repeat with -Dchaos.seed=<the seed printed>
    long seed = Long.getLong("chaos.seed", random.nextLong());
    random.setSeed(seed);
    out.println("chaos seed " + seed + ", control plane store " + controlPlaneStore);
    Path runDir = Path.of("target", "chaos-it", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
    Instant begun = Instant.now();
    // phase two retried quickly: a participant that comes back is confirmed within seconds, not half a minute
    try (ChaosSystem system = ChaosSystem.start(runDir, TENANTS, controlPlaneStore.equals("postgres"),
        List.of("--tx.retry-max-backoff=2s"))) {
      Instant ready = Instant.now();
      Map<String, List<String>> users = createUsers(system);
      OrderLoad load = new OrderLoad(system.client(), json, users, random);
      ChaosMonkey monkey = new ChaosMonkey(system, random, out);
      Duration loadFor = ORDER_INTERVAL.multipliedBy(ORDERS);
      monkey.start(2, Duration.ofSeconds(2), loadFor.minusSeconds(4));
      load.run(ORDERS, ORDER_INTERVAL, 24, SHORT_TIMEOUT_SHARE, SHORT_TIMEOUT, REFUND_SHARE);
      monkey.close();
      Instant loaded = Instant.now();

      // recovery: every payment instance back, and the coordinator with nothing left in flight
      await("payment instances up again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> ChaosMonkey.PAYMENTS.stream().allMatch(system::up));
      await("no transaction active, committing or rolling back").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).until(() -> inFlight(system) == 0);
      Instant recovered = Instant.now();
      monkey.stopWatching();

      Map<String, Map<String, Long>> txs = new LinkedHashMap<>();
      for (String tenant : TENANTS) {
        txs.put(tenant, countByState(system, tenant));
      }
      long timeouts = timedOut(system);
      Map<String, TenantBooks> books = system.audit(true);
      report(load, monkey, txs, timeouts, books, Duration.between(begun, ready), Duration.between(ready, loaded),
          Duration.between(loaded, recovered));

      assertThat(load.tried()).isEqualTo(ORDERS);
      assertThat(monkey.injected()).as("faults injected").allSatisfy((f, n) -> assertThat(n).as(f.name()).isPositive());
      assertThat(monkey.halts()).as("payment instances halted between try and confirm").isPositive();
      assertThat(monkey.otherExits()).as("payment instances that exited otherwise").isZero();
      assertThat(timeouts).as("transactions rolled back by their timeout").isPositive();
      // how many of each, and whose, depends on when the faults struck and on the machine's load
      for (OrderBook.Status s : List.of(OrderBook.Status.PAID, OrderBook.Status.REFUNDED, OrderBook.Status.CANCELLED)) {
        assertThat(books.values().stream().mapToLong(b -> b.orders(s)).sum()).as(s.wire() + " orders").isPositive();
      }
      for (String tenant : TENANTS) {
        TenantBooks b = books.get(tenant);
        assertThat(b).as(tenant + "'s books").isNotNull();
        assertThat(b.violations()).as(tenant + "'s books: " + b).isEmpty();
        Map<String, Long> byState = txs.get(tenant);
        assertThat(byState.getOrDefault("stuck", 0L)).as(tenant + " stuck transactions").isZero();
        // an order's transaction committed exactly when it is paid; a refunded order's placing and its refund's
        // saga committed (a refund that failed rolled back, its order paid again)
        assertThat(byState.getOrDefault("committed", 0L)).as(tenant + " committed = paid + 2 x refunded orders")
            .isEqualTo(b.orders(OrderBook.Status.PAID) + 2 * b.orders(OrderBook.Status.REFUNDED));
      }
    }
  }

  private Map<String, List<String>> createUsers(ChaosSystem system) throws Exception {
    Map<String, List<String>> users = new LinkedHashMap<>();
    for (String tenant : TENANTS) {
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= USERS_PER_TENANT; i++) {
        try (TenantContext.Scope ignored = TenantContext.enter(tenant)) {
          HttpRequest r = HttpRequest.newBuilder(URI.create("http://user/users"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + tenant + " customer " + i
                  + "\",\"email\":\"c" + i + "@" + tenant + ".example\"}")).build();
          HttpResponse<String> created = system.client().http().send(r, HttpResponse.BodyHandlers.ofString(),
              CallOptions.defaults());
          assertThat(created.statusCode()).as("POST /users for " + tenant + ": " + created.body()).isEqualTo(201);
          ids.add(json.readTree(created.body()).path("id").asText());
        }
      }
      users.put(tenant, ids);
    }
    return users;
  }

  private long inFlight(ChaosSystem system) throws Exception {
    long n = 0;
    for (String state : IN_FLIGHT) {
      n += system.get("/api/v1/namespaces/" + ChaosSystem.NAMESPACE + "/transactions?state=" + state + "&limit=1000")
          .path("items").size();
    }
    return n;
  }

  private Map<String, Long> countByState(ChaosSystem system, String tenant) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String state : List.of("committed", "rolled-back", "stuck", "active", "committing", "rolling-back")) {
      counts.put(state, (long) system.get("/api/v1/namespaces/" + ChaosSystem.NAMESPACE + "/transactions?tenant="
          + tenant + "&state=" + state + "&limit=1000").path("items").size());
    }
    return counts;
  }

  private long timedOut(ChaosSystem system) throws Exception {
    long n = 0;
    for (JsonNode tx : system.get("/api/v1/namespaces/" + ChaosSystem.NAMESPACE
        + "/transactions?state=rolled-back&limit=1000").path("items")) {
      n += tx.path("reason").asText("").contains("timeout") ? 1 : 0;
    }
    return n;
  }

  private void report(OrderLoad load, ChaosMonkey monkey, Map<String, Map<String, Long>> txs, long timeouts,
      Map<String, TenantBooks> books, Duration startup, Duration loadTime, Duration recovery) {
    out.println();
    out.printf("chaos run: %d orders across %d tenants (%d with a %s transaction timeout); start-up %.1f s, orders %.1f s,"
            + " recovery after the last answer %.1f s%n", load.tried(), TENANTS.size(), load.shortTimeouts(),
        SHORT_TIMEOUT, startup.toMillis() / 1000.0, loadTime.toMillis() / 1000.0, recovery.toMillis() / 1000.0);
    out.printf("faults injected (as acknowledged; a halt armed whose answer was late shows only below): %s; payment"
        + " instances halted between try and confirm: %d; transactions rolled back by their timeout: %d%n",
        monkey.injected(), monkey.halts(), timeouts);
    out.printf("%-9s %10s %12s %6s %6s %9s %10s %8s  %s%n", "tenant", "committed", "rolled back", "stuck", "paid",
        "refunded", "cancelled", "wallets", "money (seeded = balance + frozen + done)");
    for (String t : TENANTS) {
      TenantBooks b = books.get(t);
      Map<String, Long> tx = txs.get(t);
      out.printf("%-9s %10d %12d %6d %6d %9d %10d %8d  %d = %d + %d + %d%n", t, tx.get("committed"),
          tx.get("rolled-back"), tx.get("stuck"), b.orders(OrderBook.Status.PAID), b.orders(OrderBook.Status.REFUNDED),
          b.orders(OrderBook.Status.CANCELLED), b.wallets(), b.seeded(), b.balance(), b.frozen(), b.doneAmount());
    }
    out.println("answers to the orders:  " + load.outcomes());
    out.println("answers to the refunds: " + load.refunds());
  }
}
