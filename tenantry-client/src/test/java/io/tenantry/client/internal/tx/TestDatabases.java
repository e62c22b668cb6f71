package io.tenantry.client.internal.tx;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The participant databases of the transaction tests: an in-memory H2 (plain or in PostgreSQL mode), or a real
 * PostgreSQL database of its own on 127.0.0.1:5432, created for the test and dropped after.
 */
public final class TestDatabases {
  static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test";

  private TestDatabases() {}

  /** A database that is dropped on close (H2: its last connection gone, as DB_CLOSE_DELAY=-1 keeps it till then). */
  public interface Db extends AutoCloseable {
    DataSource dataSource();

    @Override
    void close();
  }

  public static Db h2(boolean postgresMode) {
    JdbcDataSource ds = new JdbcDataSource();
    String name = "fence-" + UUID.randomUUID();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + (postgresMode ? ";MODE=PostgreSQL" : ""));
    return new Db() {
      @Override
      public DataSource dataSource() {
        return ds;
      }

      @Override
      public void close() {
        execute(ds, "SHUTDOWN");
      }
    };
  }

  public static Db postgres() {
    String name = "tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    adminExecute("CREATE DATABASE " + name);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:5432/" + name);
    ds.setUser("postgres");
    return new Db() {
      @Override
      public DataSource dataSource() {
        return ds;
      }

      @Override
      public void close() {
        adminExecute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    };
  }

  public static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static void adminExecute(String sql) {
    try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
