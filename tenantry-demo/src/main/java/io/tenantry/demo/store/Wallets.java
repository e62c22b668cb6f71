package io.tenantry.demo.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The payment service's books: a wallet per tenant and customer (the tenant's user who orders), opened
 * with {@link #SEED} the first time it is debited, and a debit per tenant and order. The business
 * functions run on a connection whose transaction the caller owns (the SDK's local transaction with the
 * fence row):
 *
 * <pre>
 *   tryDebit:     balance -= a, frozen += a, debit tried      (refused if balance &lt; a)
 *   confirmDebit: frozen -= a, debit done
 *   cancelDebit:  balance += a, frozen -= a, debit cancelled
 *   credit:       balance += a, debit refunded                (the refund saga's step; only a done debit)
 *   uncredit:     balance -= a, debit done                    (its compensation)
 * </pre>
 *
 * So for every tenant, at every commit: the wallets' balances + frozen + done debits = what was seeded;
 * the money only moves between those. Phase two delivered twice finds the debit where it would put it
 * and does nothing. Stateless; thread-safe.
 */
public final class Wallets {
  /** What a wallet holds when it is opened, in cents (10,000.00). */
  public static final long SEED = 1_000_000;

  public static final List<String> SCHEMA = List.of("""
      CREATE TABLE IF NOT EXISTS wallets (
        tenant   VARCHAR(64) NOT NULL,
        customer VARCHAR(64) NOT NULL,
        balance  BIGINT      NOT NULL,
        frozen   BIGINT      NOT NULL,
        seeded   BIGINT      NOT NULL,
        PRIMARY KEY (tenant, customer))""", """
      CREATE TABLE IF NOT EXISTS debits (
        tenant     VARCHAR(64) NOT NULL,
        order_id   VARCHAR(64) NOT NULL,
        customer   VARCHAR(64) NOT NULL,
        amount     BIGINT      NOT NULL,
        status     VARCHAR(16) NOT NULL,
        charged_by VARCHAR(64) NOT NULL,
        xid        VARCHAR(32),
        created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
        PRIMARY KEY (tenant, order_id))""");

  /** Where a debit stands. */
  public enum Status {
    TRIED, DONE, CANCELLED, REFUNDED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** One debit: {@code chargedBy} the payment instance that tried it, {@code xid} its global transaction. */
  public record Debit(String tenant, String orderId, String customer, long amount, Status status, String chargedBy,
      String xid) {}

  /** A wallet's money: {@code balance} spendable, {@code frozen} held by tried debits. */
  public record Wallet(String tenant, String customer, long balance, long frozen, long seeded) {}

  /** What {@link #tryDebit} did: the debit, and whether it was written now or found (a retry). */
  public record Tried(Debit debit, boolean fresh) {}

  /**
   * Holds {@code amount} of {@code customer}'s wallet for order {@code orderId} (opening the wallet with
   * {@link #SEED} if it has none): balance to frozen, debit {@code tried}. A debit of this order written
   * before is returned as it is (not fresh); not enough balance is a {@link Refusal}
   * ({@code insufficient-funds}) and writes nothing.
   */
  public Tried tryDebit(Connection c, String tenant, String orderId, String customer, long amount, String chargedBy,
      String xid) throws SQLException {
    int inserted = Sql.update(c, "INSERT INTO debits (tenant, order_id, customer, amount, status, charged_by, xid) "
        + "VALUES (?, ?, ?, ?, 'tried', ?, ?) ON CONFLICT DO NOTHING", tenant, orderId, customer, amount, chargedBy, xid);
    if (inserted == 0) {
      return new Tried(find(c, tenant, orderId).orElseThrow(), false);
    }
    Sql.update(c, "INSERT INTO wallets (tenant, customer, balance, frozen, seeded) VALUES (?, ?, ?, 0, ?) "
        + "ON CONFLICT DO NOTHING", tenant, customer, SEED, SEED);
    int held = Sql.update(c, "UPDATE wallets SET balance = balance - ?, frozen = frozen + ? "
        + "WHERE tenant = ? AND customer = ? AND balance >= ?", amount, amount, tenant, customer, amount);
    if (held == 0) {
      throw new Refusal("insufficient-funds", "wallet of " + customer + ": less than " + amount
          + " cents left (expected: enough for the order)");
    }
    return new Tried(new Debit(tenant, orderId, customer, amount, Status.TRIED, chargedBy, xid), true);
  }

  /** tried → done: the held money is spent. */
  public void confirmDebit(Connection c, String tenant, String orderId) throws SQLException {
    Debit d = lock(c, tenant, orderId).orElseThrow(() -> new Refusal("debit-not-found", "no debit of order " + orderId));
    switch (d.status()) {
      case DONE, REFUNDED -> { } // delivered twice (and maybe refunded since)
      case TRIED -> {
        wallet(c, d, 0, -d.amount());
        set(c, d, Status.DONE);
      }
      case CANCELLED -> throw new Refusal("debit-state", "debit of order " + orderId + " is cancelled (expected: tried)");
    }
  }

  /** tried → cancelled: the held money goes back; a debit never tried stays absent. */
  public void cancelDebit(Connection c, String tenant, String orderId) throws SQLException {
    Optional<Debit> found = lock(c, tenant, orderId);
    if (found.isEmpty()) {
      return;
    }
    Debit d = found.get();
    switch (d.status()) {
      case CANCELLED -> { } // delivered twice
      case TRIED -> {
        wallet(c, d, d.amount(), -d.amount());
        set(c, d, Status.CANCELLED);
      }
      case DONE, REFUNDED -> throw new Refusal("debit-state", "debit of order " + orderId + " is " + d.status().wire()
          + " (expected: tried)");
    }
  }

  /** done → refunded: the refund saga's step, the money back to the balance. Only a done debit. */
  public void credit(Connection c, String tenant, String orderId) throws SQLException {
    Debit d = lock(c, tenant, orderId).orElseThrow(() -> new Refusal("debit-not-found", "no debit of order " + orderId));
    if (d.status() != Status.DONE) {
      throw new Refusal("debit-not-refundable", "debit of order " + orderId + " is " + d.status().wire()
          + " (expected: done)");
    }
    wallet(c, d, d.amount(), 0);
    set(c, d, Status.REFUNDED);
  }

  /**
   * refunded → done: the compensation of {@link #credit}, the money taken again (even below zero: the
   * credit it undoes should not have stood, and a compensation must not fail for want of money).
   */
  public void uncredit(Connection c, String tenant, String orderId) throws SQLException {
    Optional<Debit> d = lock(c, tenant, orderId);
    if (d.isPresent() && d.get().status() == Status.REFUNDED) {
      wallet(c, d.get(), -d.get().amount(), 0);
      set(c, d.get(), Status.DONE);
    }
  }

  public Optional<Debit> find(Connection c, String tenant, String orderId) throws SQLException {
    return Sql.one(c, "SELECT * FROM debits WHERE tenant = ? AND order_id = ?", Wallets::debit, tenant, orderId);
  }

  public Optional<Wallet> wallet(Connection c, String tenant, String customer) throws SQLException {
    return Sql.one(c, "SELECT * FROM wallets WHERE tenant = ? AND customer = ?",
        rs -> new Wallet(rs.getString("tenant"), rs.getString("customer"), rs.getLong("balance"), rs.getLong("frozen"),
            rs.getLong("seeded")), tenant, customer);
  }

  private static Optional<Debit> lock(Connection c, String tenant, String orderId) throws SQLException {
    return Sql.one(c, "SELECT * FROM debits WHERE tenant = ? AND order_id = ? FOR UPDATE", Wallets::debit, tenant,
        orderId);
  }

  private static void wallet(Connection c, Debit d, long balanceDelta, long frozenDelta) throws SQLException {
    int n = Sql.update(c, "UPDATE wallets SET balance = balance + ?, frozen = frozen + ? WHERE tenant = ? AND customer = ?",
        balanceDelta, frozenDelta, d.tenant(), d.customer());
    if (n != 1) {
      throw new IllegalStateException("wallet of " + d.tenant() + "/" + d.customer() + " missing for the debit of order "
          + d.orderId());
    }
  }

  private static void set(Connection c, Debit d, Status status) throws SQLException {
    Sql.update(c, "UPDATE debits SET status = ?, updated_at = CURRENT_TIMESTAMP WHERE tenant = ? AND order_id = ?",
        status.wire(), d.tenant(), d.orderId());
  }

  private static Debit debit(ResultSet rs) throws SQLException {
    return new Debit(rs.getString("tenant"), rs.getString("order_id"), rs.getString("customer"), rs.getLong("amount"),
        Status.of(rs.getString("status")), rs.getString("charged_by"), rs.getString("xid"));
  }
}
