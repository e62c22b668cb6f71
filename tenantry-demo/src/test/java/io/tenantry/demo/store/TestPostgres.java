package io.tenantry.demo.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases of their own for tests on the real PostgreSQL at 127.0.0.1:5432 (user {@code postgres}, trust
 * authentication): {@link #create} makes one with a unique name, {@link #drop} removes it (and ends any
 * session still on it, e.g. of a killed process).
 */
public final class TestPostgres {
  public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  public static final String USER = "postgres";

  private TestPostgres() {}

  /** Creates a database named {@code <prefix>_<random>} and returns its name. */
  public static String create(String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return name;
  }

  public static String url(String database) {
    return SERVER + database;
  }

  public static DatabaseSettings settings(String database, int poolSize) {
    return new DatabaseSettings(url(database), USER, "", poolSize);
  }

  public static void drop(String database) {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(SERVER + "test", USER, ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
