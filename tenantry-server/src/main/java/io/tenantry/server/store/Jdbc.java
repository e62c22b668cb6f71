package io.tenantry.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The few JDBC idioms every table of the store uses, written once. Thread-safe. */
final class Jdbc {
  /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";
  /**
   * SQLSTATEs of a row referring to a missing one: PostgreSQL's foreign key violation (with every reference
   * cascading on delete, only a missing parent raises it) and H2's "parent missing".
   */
  private static final java.util.Set<String> PARENT_MISSING = java.util.Set.of("23503", "23506");

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs an insert; false if it broke a unique constraint. */
  boolean insert(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw failed(sql, e);
    }
  }

  /** Runs an update or delete and returns the number of rows changed. */
  int update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(sql, binder, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs {@code work} in one transaction, committed if it returns, rolled back if it throws. */
  <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** Binds {@code values} to the parameters in order: a row's key such as (namespace, id). */
  static Binder strings(String... values) {
    return ps -> {
      for (int i = 0; i < values.length; i++) {
        ps.setString(i + 1, values[i]);
      }
    };
  }

  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    Object value = rs.getObject(column);
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static StoreException failed(String what, SQLException e) {
    if (PARENT_MISSING.contains(e.getSQLState())) {
      return new ParentGoneException("store: " + what + " refers to a row deleted meanwhile", e);
    }
    return new StoreException("store: " + what + " failed (SQLSTATE " + e.getSQLState() + ")", e);
  }
}
