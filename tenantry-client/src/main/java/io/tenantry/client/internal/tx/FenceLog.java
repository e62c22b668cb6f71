package io.tenantry.client.internal.tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The participant's local transaction log (Seata's {@code tcc_fence_log}): one row per branch in the participant's
 * own database, table {@value #TABLE} (created if absent; H2 and PostgreSQL), written in the SAME local transaction
 * as the branch's function. Row states: {@code tried} (the try or saga step ran), {@code committed},
 * {@code rolled-back}, {@code suspended} (a cancel arrived before any try: an empty rollback, and a later try is
 * refused). Confirm and cancel lock the row ({@code SELECT … FOR UPDATE}), so two deliveries of one branch's phase
 * two, or a confirm racing a cancel, run one after the other and only one function ever runs.
 *
 * <p>Thread-safety: thread-safe; every call takes its own connection.
 */
public final class FenceLog {
  public static final String TABLE = "tenantry_tx_fence";
  static final String TRIED = "tried";
  static final String COMMITTED = "committed";
  static final String ROLLED_BACK = "rolled-back";
  static final String SUSPENDED = "suspended";
  private static final String DUPLICATE_KEY = "23505";
  /** A cancel that lost an insert race to a concurrent try reads again; more than this means something else. */
  private static final int RACE_ROUNDS = 3;

  private final DataSource dataSource;
  private final Clock clock;
  private volatile boolean tableReady;

  public FenceLog(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A branch function bound to its arguments, run on the fence's connection. */
  @FunctionalInterface
  public interface Work {
    void run(Connection connection) throws Exception;
  }

  /** What a try (or saga step) did. */
  public enum TryOutcome {
    /** Ran now, its fence row committed with it. */
    RAN,
    /** Had run before: nothing ran. */
    REPLAYED,
    /** Its cancel (or compensation) came first: refused, nothing ran. */
    REFUSED
  }

  /** What a confirm or a cancel did. */
  public enum PhaseOutcome {
    /** The function ran now. */
    DONE,
    /** Done before (a second delivery): nothing ran. */
    ALREADY,
    /** A cancel of a branch that never tried: recorded as suspended, nothing ran. */
    EMPTY_ROLLBACK,
    /** Can never be done: a confirm after a cancel, a cancel after a confirm, a confirm without a try. */
    CONFLICT
  }

  /** A phase-two result, with the row's state that caused a conflict (null if none was there). */
  public record Phase(PhaseOutcome outcome, String found) {}

  /** Runs {@code work} with a new {@code tried} row for the branch, unless the branch has a row already. */
  public TryOutcome tryBranch(String xid, int branch, String action, String tenant, Work work) throws Exception {
    return inLocalTransaction(c -> {
      try {
        insert(c, xid, branch, action, tenant, TRIED);
      } catch (SQLException e) {
        c.rollback();
        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
          throw e;
        }
        String found = status(c, xid, branch, false);
        c.commit();
        return TRIED.equals(found) || COMMITTED.equals(found) ? TryOutcome.REPLAYED : TryOutcome.REFUSED;
      }
      work.run(c);
      c.commit();
      return TryOutcome.RAN;
    });
  }

  /** Confirms the branch: runs {@code work} and marks it committed if it tried and nothing else happened since. */
  public Phase confirm(String xid, int branch, Work work) throws Exception {
    return inLocalTransaction(c -> {
      String found = status(c, xid, branch, true);
      Phase result;
      if (COMMITTED.equals(found)) {
        result = new Phase(PhaseOutcome.ALREADY, found);
      } else if (TRIED.equals(found)) {
        work.run(c);
        update(c, xid, branch, COMMITTED);
        result = new Phase(PhaseOutcome.DONE, found);
      } else {
        result = new Phase(PhaseOutcome.CONFLICT, found);
      }
      c.commit();
      return result;
    });
  }

  /**
   * Cancels (TCC) or compensates (saga) the branch: runs {@code work} and marks it rolled back if it tried; records
   * an empty rollback ({@code suspended}) if it never did; a conflict if it was confirmed.
   */
  public Phase rollback(String xid, int branch, String action, String tenant, Work work) throws Exception {
    return inLocalTransaction(c -> {
      for (int round = 1; ; round++) {
        String found = status(c, xid, branch, true);
        Phase result;
        if (found == null) {
          try {
            insert(c, xid, branch, action, tenant, SUSPENDED);
          } catch (SQLException e) {
            c.rollback(); // a concurrent try inserted its row first: read it again, now committed
            if (DUPLICATE_KEY.equals(e.getSQLState()) && round < RACE_ROUNDS) {
              continue;
            }
            throw e;
          }
          result = new Phase(PhaseOutcome.EMPTY_ROLLBACK, null);
        } else if (TRIED.equals(found)) {
          work.run(c);
          update(c, xid, branch, ROLLED_BACK);
          result = new Phase(PhaseOutcome.DONE, found);
        } else if (COMMITTED.equals(found)) {
          result = new Phase(PhaseOutcome.CONFLICT, found);
        } else {
          result = new Phase(PhaseOutcome.ALREADY, found);
        }
        c.commit();
        return result;
      }
    });
  }

  /** The branch's row state, or null if it has none. */
  public String status(String xid, int branch) throws SQLException {
    ensureTable();
    try (Connection c = dataSource.getConnection()) {
      return status(c, xid, branch, false);
    }
  }

  /**
   * Deletes the rows last changed before {@code before} that no phase two can still need: final rows (committed,
   * rolled back, suspended), and the {@code tried} rows of saga steps ({@code sagaActions}): a saga's commit sends
   * no phase two, so its steps' rows would stay {@code tried} for ever. Returns how many.
   */
  public int purge(Instant before, Set<String> sagaActions) throws SQLException {
    ensureTable();
    StringBuilder sql = new StringBuilder("DELETE FROM " + TABLE + " WHERE updated_at < ? AND (status IN ('"
        + COMMITTED + "', '" + ROLLED_BACK + "', '" + SUSPENDED + "')");
    if (!sagaActions.isEmpty()) {
      sql.append(" OR (status = '" + TRIED + "' AND action IN (").append("?, ".repeat(sagaActions.size() - 1))
          .append("?))");
    }
    sql.append(')');
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
      s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
      int i = 2;
      for (String action : sagaActions) {
        s.setString(i++, action);
      }
      return s.executeUpdate();
    }
  }

  /** Creates the table and its index if absent; once per log (a lost race with another instance is fine). */
  public void ensureTable() throws SQLException {
    if (tableReady) {
      return;
    }
    synchronized (this) {
      if (tableReady) {
        return;
      }
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
          s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
              + "xid VARCHAR(32) NOT NULL, branch INTEGER NOT NULL, action VARCHAR(63) NOT NULL,"
              + " tenant VARCHAR(63) NOT NULL, status VARCHAR(16) NOT NULL,"
              + " created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
              + " PRIMARY KEY (xid, branch))");
          s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_updated ON " + TABLE + " (updated_at)");
        } catch (SQLException e) {
          // two instances creating it at once on PostgreSQL: one loses on the catalog's unique index
          if (!DUPLICATE_KEY.equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
            throw e;
          }
        } finally {
          c.setAutoCommit(auto);
        }
      }
      tableReady = true;
    }
  }

  private void insert(Connection c, String xid, int branch, String action, String tenant, String status)
      throws SQLException {
    OffsetDateTime now = now();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
        + " (xid, branch, action, tenant, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, xid);
      s.setInt(2, branch);
      s.setString(3, action);
      s.setString(4, tenant);
      s.setString(5, status);
      s.setObject(6, now);
      s.setObject(7, now);
      s.executeUpdate();
    }
  }

  private void update(Connection c, String xid, int branch, String status) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE " + TABLE
        + " SET status = ?, updated_at = ? WHERE xid = ? AND branch = ?")) {
      s.setString(1, status);
      s.setObject(2, now());
      s.setString(3, xid);
      s.setInt(4, branch);
      s.executeUpdate();
    }
  }

  private static String status(Connection c, String xid, int branch, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT status FROM " + TABLE + " WHERE xid = ? AND branch = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      s.setString(1, xid);
      s.setInt(2, branch);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** What runs in one local transaction of the log's database. */
  @FunctionalInterface
  private interface InTransaction<T> {
    T run(Connection c) throws Exception;
  }

  /**
   * Runs {@code body} on a connection with auto-commit off; {@code body} commits (or rolls back) itself, whatever
   * it threw rolls back. The connection's auto-commit is restored before it goes back to the pool.
   */
  private <T> T inLocalTransaction(InTransaction<T> body) throws Exception {
    ensureTable();
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        return body.run(c);
      } catch (Exception | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
