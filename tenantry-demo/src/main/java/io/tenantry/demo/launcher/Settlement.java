package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.demo.store.LedgerAudit;
import io.tenantry.demo.store.LedgerAudit.TenantBooks;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * How the run's distributed transactions ended and what the books say, per tenant, read once when the
 * traffic has stopped: the coordinator's counts of committed, rolled-back and stuck transactions (its list
 * API, newest first; {@code capped} when a state has more than one page), and the audit of the order and
 * payment databases (money conserved, every paid order with its done debit and back, nothing left in
 * doubt). Read after nothing is in flight any more, or after {@code settleWithin}, whichever comes first
 * ({@code inFlight} says how many were still under way then). Immutable.
 *
 * @param problems what could not be read, one line each
 */
record Settlement(Map<String, TxCounts> transactions, Map<String, TenantBooks> books, long inFlight,
    List<String> problems) {
  /** The most transactions of one state and tenant the list API answers in one page. */
  static final int PAGE = 1000;
  static final List<String> IN_FLIGHT = List.of("active", "committing", "rolling-back");

  /** A tenant's transactions by how they ended; {@code capped}: some state had a full page, so at least that. */
  record TxCounts(long committed, long rolledBack, long stuck, boolean capped) {}

  static final Settlement NONE = new Settlement(Map.of(), Map.of(), 0, List.of());

  Settlement {
    transactions = Map.copyOf(transactions);
    books = Map.copyOf(books);
    problems = List.copyOf(problems);
  }

  /** True if every tenant's books hold every promise and no transaction is stuck or still in flight. */
  boolean consistent() {
    return problems.isEmpty() && inFlight == 0 && books.values().stream().allMatch(b -> b.violations().isEmpty())
        && transactions.values().stream().allMatch(t -> t.stuck() == 0);
  }

  /**
   * Waits (polling, while {@code stillWaiting} holds) until the coordinator has nothing of the namespace in
   * flight or {@code settleWithin} passed, then reads the counts of {@code tenants} and the books.
   */
  static Settlement read(AdminApi api, String namespace, List<String> tenants, DataSource orders, DataSource payments,
      Duration settleWithin, BooleanSupplier stillWaiting) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    Instant until = Instant.now().plus(settleWithin);
    long inFlight;
    try {
      while ((inFlight = inFlight(api, namespace)) > 0 && Instant.now().isBefore(until) && stillWaiting.getAsBoolean()) {
        Thread.sleep(250);
      }
    } catch (IOException e) {
      return new Settlement(Map.of(), Map.of(), 0, List.of("transactions: " + e.getMessage()));
    }
    Map<String, TxCounts> counts = new LinkedHashMap<>();
    for (String tenant : tenants) {
      try {
        long committed = count(api, namespace, tenant, "committed");
        long rolledBack = count(api, namespace, tenant, "rolled-back");
        long stuck = count(api, namespace, tenant, "stuck");
        counts.put(tenant, new TxCounts(committed, rolledBack, stuck,
            committed >= PAGE || rolledBack >= PAGE || stuck >= PAGE));
      } catch (IOException e) {
        problems.add("transactions of " + tenant + ": " + e.getMessage());
      }
    }
    Map<String, TenantBooks> books = Map.of();
    try {
      books = LedgerAudit.read(orders, payments, inFlight == 0);
    } catch (java.sql.SQLException e) {
      problems.add("books: " + e.getMessage());
    }
    return new Settlement(counts, books, inFlight, problems);
  }

  private static long inFlight(AdminApi api, String namespace) throws IOException, InterruptedException {
    long n = 0;
    for (String state : IN_FLIGHT) {
      n += api.get(path(namespace) + "?state=" + state + "&limit=" + PAGE).path("items").size();
    }
    return n;
  }

  private static long count(AdminApi api, String namespace, String tenant, String state)
      throws IOException, InterruptedException {
    JsonNode items = api.get(path(namespace) + "?tenant=" + tenant + "&state=" + state + "&limit=" + PAGE).path("items");
    return items.size();
  }

  private static String path(String namespace) {
    return ApiPaths.expand(ApiPaths.TRANSACTIONS, namespace);
  }
}
