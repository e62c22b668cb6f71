package io.tenantry.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Elects one process among the control-plane nodes sharing a PostgreSQL schema for a singleton job: a session
 * advisory lock, keyed by the schema and the job's name, held on a connection kept for it while held. The lock
 * is lost with its connection (a database restart, a cut network): {@link #hold} then answers false until it is
 * taken again. On H2 (embedded: one process per data directory) it is always held. Thread-safe.
 */
final class AdvisoryLock implements AutoCloseable {
  private final DataSource dataSource;
  private final boolean postgres;
  private final String name;
  private Connection held;

  AdvisoryLock(DataSource dataSource, boolean postgres, String name) {
    this.dataSource = dataSource;
    this.postgres = postgres;
    this.name = name;
  }

  /** True if this process holds the lock: kept if it was held and its connection is alive, else tried once. */
  synchronized boolean hold() {
    if (!postgres) {
      return true;
    }
    if (held != null) {
      try {
        if (held.isValid(2)) {
          return true;
        }
      } catch (SQLException e) {
        // lost with its connection: try again below
      }
      release();
    }
    Connection c = null;
    try {
      c = dataSource.getConnection();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(current_schema() || ?))")) {
        ps.setString(1, "/" + name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            held = c;
            return true;
          }
        }
      }
    } catch (SQLException e) {
      // the store is unreachable: not held
    }
    closeQuietly(c);
    return false;
  }

  /** Gives the lock up (unlocked before its connection goes back to the pool). */
  private void release() {
    if (held != null) {
      try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock_all()")) {
        ps.execute();
      } catch (SQLException e) {
        // a dead connection holds nothing any more
      }
      closeQuietly(held);
      held = null;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing more to do
      }
    }
  }

  @Override
  public synchronized void close() {
    release();
  }
}
