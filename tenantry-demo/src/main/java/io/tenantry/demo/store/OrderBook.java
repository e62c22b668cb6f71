package io.tenantry.demo.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The order service's books: one row per order and tenant, and the business functions that move an
 * order through its states, each on a connection whose transaction the caller owns (the SDK runs them in
 * its local transaction with the fence row, so a function and its fence commit or roll back together):
 *
 * <pre>
 *   reserve ──> pending ──confirm──> paid ──markRefunded──> refunded
 *                  │                   ^                        │
 *                  └──cancel──> cancelled        └──restorePaid─┘  (the refund saga's compensation)
 * </pre>
 *
 * A function that finds the order already where it would put it does nothing (phase two may be
 * delivered twice); one that finds it in a state it cannot leave that way throws a {@link Refusal}.
 * Stateless; thread-safe.
 */
public final class OrderBook {
  public static final List<String> SCHEMA = List.of("""
      CREATE TABLE IF NOT EXISTS orders (
        tenant     VARCHAR(64) NOT NULL,
        id         VARCHAR(64) NOT NULL,
        user_id    VARCHAR(64) NOT NULL,
        amount     BIGINT      NOT NULL,
        status     VARCHAR(16) NOT NULL,
        placed_by  VARCHAR(64) NOT NULL,
        version    VARCHAR(64) NOT NULL,
        xid        VARCHAR(32),
        created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
        PRIMARY KEY (tenant, id))""");

  /** Where an order stands. */
  public enum Status {
    PENDING, PAID, CANCELLED, REFUNDED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One order. {@code placedBy}, {@code version}: the order instance that placed it and its version;
   * {@code xid}: the global transaction that placed it (null if none).
   */
  public record StoredOrder(String tenant, String id, String userId, long amount, Status status, String placedBy,
      String version, String xid) {}

  /** Writes {@code order} as pending; an order id already taken is a {@link Refusal}. */
  public void reserve(Connection c, StoredOrder order) throws SQLException {
    int n = Sql.update(c, "INSERT INTO orders (tenant, id, user_id, amount, status, placed_by, version, xid) "
            + "VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING",
        order.tenant(), order.id(), order.userId(), order.amount(), order.placedBy(), order.version(), order.xid());
    if (n == 0) {
      throw new Refusal("order-exists", "order " + order.id() + " exists already (expected: a new order id)");
    }
  }

  /** pending → paid (the payment stands). */
  public void confirm(Connection c, String tenant, String id) throws SQLException {
    move(c, tenant, id, Status.PENDING, Status.PAID, false);
  }

  /** pending → cancelled (the payment did not happen); an order that was never reserved stays absent. */
  public void cancel(Connection c, String tenant, String id) throws SQLException {
    move(c, tenant, id, Status.PENDING, Status.CANCELLED, true);
  }

  /** paid → refunded: the refund saga's step on the order. Only a paid order can be refunded. */
  public void markRefunded(Connection c, String tenant, String id) throws SQLException {
    Status now = lock(c, tenant, id).orElseThrow(() -> new Refusal("order-not-found", "order " + id + " not found"));
    if (now != Status.PAID) {
      throw new Refusal("order-not-refundable", "order " + id + " is " + now.wire() + " (expected: paid)");
    }
    set(c, tenant, id, Status.REFUNDED);
  }

  /** refunded → paid: the compensation of {@link #markRefunded}; anything else is left as it is. */
  public void restorePaid(Connection c, String tenant, String id) throws SQLException {
    if (lock(c, tenant, id).orElse(null) == Status.REFUNDED) {
      set(c, tenant, id, Status.PAID);
    }
  }

  public Optional<StoredOrder> find(Connection c, String tenant, String id) throws SQLException {
    return Sql.one(c, "SELECT * FROM orders WHERE tenant = ? AND id = ?", OrderBook::order, tenant, id);
  }

  private void move(Connection c, String tenant, String id, Status from, Status to, boolean absentIsFine)
      throws SQLException {
    Optional<Status> now = lock(c, tenant, id);
    if (now.isEmpty()) {
      if (absentIsFine) {
        return;
      }
      throw new Refusal("order-not-found", "order " + id + " not found (expected: " + from.wire() + ")");
    }
    if (now.get() == to) {
      return; // delivered twice
    }
    if (now.get() != from) {
      throw new Refusal("order-state", "order " + id + " is " + now.get().wire() + " (expected: " + from.wire()
          + " or " + to.wire() + ")");
    }
    set(c, tenant, id, to);
  }

  private static Optional<Status> lock(Connection c, String tenant, String id) throws SQLException {
    return Sql.one(c, "SELECT status FROM orders WHERE tenant = ? AND id = ? FOR UPDATE",
        rs -> Status.of(rs.getString(1)), tenant, id);
  }

  private static void set(Connection c, String tenant, String id, Status status) throws SQLException {
    Sql.update(c, "UPDATE orders SET status = ?, updated_at = CURRENT_TIMESTAMP WHERE tenant = ? AND id = ?",
        status.wire(), tenant, id);
  }

  private static StoredOrder order(ResultSet rs) throws SQLException {
    return new StoredOrder(rs.getString("tenant"), rs.getString("id"), rs.getString("user_id"), rs.getLong("amount"),
        Status.of(rs.getString("status")), rs.getString("placed_by"), rs.getString("version"), rs.getString("xid"));
  }
}
