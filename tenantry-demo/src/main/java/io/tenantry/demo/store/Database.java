package io.tenantry.demo.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * One service's database: a HikariCP pool on {@link DatabaseSettings} and its tables, created at open
 * when missing (every statement of the schema is {@code CREATE … IF NOT EXISTS}, so instances that start
 * together, or again, agree). {@link #inTransaction} runs work in one local transaction. Thread-safe.
 *
 * <p>The tables have no {@code CHECK} constraints: H2 2.4's TCP server evaluates a check with the session
 * that compiled it, and when that client is killed every later insert fails for every other client
 * ("Check constraint invalid … database has been closed"), which the demo's kill of payment-1 set off.
 * The business functions keep the rules, and {@link LedgerAudit} checks them.
 */
public final class Database implements AutoCloseable {
  /** Work on a connection inside a local transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** The advisory lock key under which instances create the tables one at a time (PostgreSQL). */
  private static final long SCHEMA_LOCK = 0x7E4A47D3L;

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Connects as {@code poolName} and creates the {@code schema}'s tables if missing. */
  public static Database open(String poolName, DatabaseSettings settings, List<String> schema) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(settings.url());
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setMaximumPoolSize(settings.maxPoolSize());
    hc.setMinimumIdle(1);
    // a call waits at most this long for a connection: longer than a payment attempt, so the caller's own
    // timeout is what a client sees, never a pool starved by a slow try
    hc.setConnectionTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new IllegalStateException("database " + settings + ": cannot connect: " + root(e), e);
    }
    Database db = new Database(ds);
    try {
      db.inTransaction(c -> {
        try (Statement s = c.createStatement()) {
          if (settings.postgres()) {
            // PostgreSQL's CREATE TABLE IF NOT EXISTS races with itself (a duplicate key in its catalog) when
            // two instances start together: one at a time, until this transaction ends
            s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
          }
          for (String statement : schema) {
            s.execute(statement);
          }
        }
        return null;
      });
    } catch (SQLException | RuntimeException e) {
      ds.close();
      throw new IllegalStateException("database " + settings + ": cannot create the tables: " + root(e), e);
    }
    return db;
  }

  /** The pool, e.g. for the SDK's transaction log, which keeps its fence table in this database. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static String root(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
