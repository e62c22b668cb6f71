package io.tenantry.demo.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Reads both services' books and checks, per tenant, what the distributed transactions promise: money is
 * conserved (wallets' balances + frozen + done debits = what the wallets were seeded with; frozen = the
 * tried debits), every paid order has its done debit of the same amount and every done debit its paid
 * order (likewise refunded with refunded), and, once nothing is in flight, nothing is left in doubt (no
 * pending order, no tried debit, nothing frozen). Used by the launcher's report and the chaos test.
 */
public final class LedgerAudit {
  private LedgerAudit() {}

  /** One tenant's books as read. {@code violations} is empty when every promise holds. */
  public record TenantBooks(String tenant, Map<OrderBook.Status, Long> orders, Map<Wallets.Status, Long> debits,
      long wallets, long seeded, long balance, long frozen, long doneAmount, long triedAmount, List<String> violations) {
    public long orders(OrderBook.Status s) {
      return orders.getOrDefault(s, 0L);
    }

    public long debits(Wallets.Status s) {
      return debits.getOrDefault(s, 0L);
    }

    /** True if money is conserved: balances + frozen + done debits = seeded. */
    public boolean moneyConserved() {
      return balance + frozen + doneAmount == seeded;
    }
  }

  /**
   * Reads every tenant's books. {@code atRest}: no transaction is in flight, so a pending order, a tried
   * debit or frozen money is a violation too (while transactions run they are normal).
   */
  public static Map<String, TenantBooks> read(DataSource orderDb, DataSource paymentDb, boolean atRest)
      throws SQLException {
    Map<String, Map<String, Row>> orders = new HashMap<>();
    try (Connection c = orderDb.getConnection()) {
      for (Row r : Sql.list(c, "SELECT tenant, id, status, amount FROM orders",
          rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))) {
        orders.computeIfAbsent(r.tenant(), t -> new HashMap<>()).put(r.id(), r);
      }
    }
    Map<String, Map<String, Row>> debits = new HashMap<>();
    Map<String, WalletSums> wallets = new HashMap<>();
    try (Connection c = paymentDb.getConnection()) {
      // one snapshot of both tables: a debit confirmed between two reads would look like lost money
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        for (Row r : Sql.list(c, "SELECT tenant, order_id, status, amount FROM debits",
            rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))) {
          debits.computeIfAbsent(r.tenant(), t -> new HashMap<>()).put(r.id(), r);
        }
        for (WalletSums w : Sql.list(c, "SELECT tenant, COUNT(*), SUM(seeded), SUM(balance), SUM(frozen) FROM wallets "
            + "GROUP BY tenant", rs -> new WalletSums(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5)))) {
          wallets.put(w.tenant(), w);
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
    Set<String> tenants = new TreeSet<>(orders.keySet());
    tenants.addAll(debits.keySet());
    tenants.addAll(wallets.keySet());
    Map<String, TenantBooks> out = new TreeMap<>();
    for (String t : tenants) {
      out.put(t, books(t, orders.getOrDefault(t, Map.of()), debits.getOrDefault(t, Map.of()),
          wallets.getOrDefault(t, new WalletSums(t, 0, 0, 0, 0)), atRest));
    }
    return out;
  }

  private record Row(String tenant, String id, String status, long amount) {}

  private record WalletSums(String tenant, long count, long seeded, long balance, long frozen) {}

  /** How many ids a violation names at most (the count says the rest). */
  static final int SHOW = 5;

  private static TenantBooks books(String tenant, Map<String, Row> orders, Map<String, Row> debits, WalletSums w,
      boolean atRest) {
    Map<OrderBook.Status, Long> orderCounts = new EnumMap<>(OrderBook.Status.class);
    orders.values().forEach(o -> orderCounts.merge(OrderBook.Status.of(o.status()), 1L, Long::sum));
    Map<Wallets.Status, Long> debitCounts = new EnumMap<>(Wallets.Status.class);
    long done = 0;
    long tried = 0;
    for (Row d : debits.values()) {
      Wallets.Status s = Wallets.Status.of(d.status());
      debitCounts.merge(s, 1L, Long::sum);
      done += s == Wallets.Status.DONE ? d.amount() : 0;
      tried += s == Wallets.Status.TRIED ? d.amount() : 0;
    }
    long seeded = w.seeded();
    long balance = w.balance();
    long frozen = w.frozen();
    List<String> violations = new ArrayList<>();
    if (balance + frozen + done != seeded) {
      violations.add("money not conserved: balances " + balance + " + frozen " + frozen + " + done debits " + done
          + " = " + (balance + frozen + done) + " (expected: seeded " + seeded + ")");
    }
    if (frozen != tried) {
      violations.add("frozen " + frozen + " (expected: the tried debits' " + tried + ")");
    }
    pair(violations, orders, debits, "paid", "done");
    pair(violations, orders, debits, "refunded", "refunded");
    if (atRest) {
      mustBeNone(violations, "pending orders", orders, "pending");
      mustBeNone(violations, "tried debits", debits, "tried");
      if (frozen != 0) {
        violations.add("frozen money left: " + frozen + " (expected: 0 with nothing in flight)");
      }
    }
    return new TenantBooks(tenant, orderCounts, debitCounts, w.count(), seeded, balance, frozen, done, tried,
        List.copyOf(violations));
  }

  /** Every order in {@code orderStatus} has a debit in {@code debitStatus} of the same amount, and back. */
  private static void pair(List<String> violations, Map<String, Row> orders, Map<String, Row> debits, String orderStatus,
      String debitStatus) {
    Set<String> withoutDebit = new TreeSet<>();
    orders.values().stream().filter(o -> o.status().equals(orderStatus)).forEach(o -> {
      Row d = debits.get(o.id());
      if (d == null || !d.status().equals(debitStatus) || d.amount() != o.amount()) {
        withoutDebit.add(o.id() + (d == null ? " (no debit)" : " (debit " + d.status() + " " + d.amount() + ")"));
      }
    });
    Set<String> withoutOrder = new TreeSet<>();
    debits.values().stream().filter(d -> d.status().equals(debitStatus)).forEach(d -> {
      Row o = orders.get(d.id());
      if (o == null || !o.status().equals(orderStatus)) {
        withoutOrder.add(d.id() + (o == null ? " (no order)" : " (order " + o.status() + ")"));
      }
    });
    if (!withoutDebit.isEmpty()) {
      violations.add(withoutDebit.size() + " " + orderStatus + " orders without their " + debitStatus + " debit: "
          + first(withoutDebit));
    }
    if (!withoutOrder.isEmpty()) {
      violations.add(withoutOrder.size() + " " + debitStatus + " debits without their " + orderStatus + " order: "
          + first(withoutOrder));
    }
  }

  private static void mustBeNone(List<String> violations, String what, Map<String, Row> rows, String status) {
    Set<String> ids = new TreeSet<>();
    rows.values().stream().filter(r -> r.status().equals(status)).forEach(r -> ids.add(r.id()));
    if (!ids.isEmpty()) {
      violations.add(ids.size() + " " + what + " left: " + first(ids));
    }
  }

  private static String first(Set<String> ids) {
    return String.join(", ", ids.stream().limit(SHOW).toList()) + (ids.size() > SHOW ? ", …" : "");
  }
}
