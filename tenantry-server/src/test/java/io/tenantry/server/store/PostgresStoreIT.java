package io.tenantry.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The storage contract on the real PostgreSQL at 127.0.0.1:5432 (db {@code test}, user
 * {@code postgres}), each test in a schema of its own that is dropped afterwards.
 */
class PostgresStoreIT extends StoreContract {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private String schema;

  @Override
  Store openFresh() {
    schema = "contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return reopen();
  }

  @Override
  Store reopen() {
    return JdbcStore.open(new StoreSettings(URL, "postgres", "", schema, 4));
  }

  @Override
  void cleanUp() {
    dropSchema(schema);
  }

  /** Drops a test schema and everything in it. */
  static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
         Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop schema " + schema, e);
    }
  }
}
