package io.tenantry.bench.peers.seata;

import io.seata.rm.tcc.api.BusinessActionContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The participants' business writes, in an in-memory H2 database of this process: a try inserts the branch's row
 * (state {@code tried}), a confirm or cancel moves it on. The same writes as the Tenantry side's participants do,
 * so that both coordinators' branches cost their participants alike. Static because Seata's {@code ProxyUtil}
 * instantiates a subclass of each participant through its no-argument constructor. Thread-safe.
 */
final class BranchRows {
  private static final JdbcConnectionPool POOL = JdbcConnectionPool.create("jdbc:h2:mem:seata-bench;DB_CLOSE_DELAY=-1",
      "sa", "");

  static {
    POOL.setMaxConnections(128);
    try (Connection c = POOL.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS bench_branch (xid VARCHAR(128), branch BIGINT, action VARCHAR(32),"
          + " amount BIGINT, state VARCHAR(16), PRIMARY KEY (xid, branch))");
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private BranchRows() {}

  static boolean tried(BusinessActionContext ctx, long amount) {
    try (Connection c = POOL.getConnection(); PreparedStatement p = c.prepareStatement(
        "INSERT INTO bench_branch (xid, branch, action, amount, state) VALUES (?, ?, ?, ?, 'tried')")) {
      p.setString(1, ctx.getXid());
      p.setLong(2, ctx.getBranchId());
      p.setString(3, ctx.getActionName());
      p.setLong(4, amount);
      p.executeUpdate();
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("try failed: " + e.getMessage(), e);
    }
  }

  /** Confirm or cancel: the row moves to {@code state}; a cancel without a row (an empty rollback) changes nothing. */
  static boolean ended(BusinessActionContext ctx, String state) {
    try (Connection c = POOL.getConnection(); PreparedStatement p = c.prepareStatement(
        "UPDATE bench_branch SET state = ? WHERE xid = ? AND branch = ?")) {
      p.setString(1, state);
      p.setString(2, ctx.getXid());
      p.setLong(3, ctx.getBranchId());
      p.executeUpdate();
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException(state + " failed: " + e.getMessage(), e);
    }
  }

  /** Rows in {@code state}: what the driver checks after a run. */
  static long count(String state) throws SQLException {
    try (Connection c = POOL.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT COUNT(*) FROM bench_branch WHERE state = ?")) {
      p.setString(1, state);
      try (var r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
