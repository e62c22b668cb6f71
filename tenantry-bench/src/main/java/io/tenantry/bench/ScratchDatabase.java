package io.tenantry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database of its own for one benchmark run (a coordinator's store), created on a server that
 * trusts user {@code postgres} from 127.0.0.1, and dropped on close. Not thread-safe.
 */
final class ScratchDatabase implements AutoCloseable {
  private final String server;
  private final String name;

  private ScratchDatabase(String server, String name) {
    this.server = server;
    this.name = name;
  }

  /** @param server e.g. {@code jdbc:postgresql://127.0.0.1:5432/} (its maintenance database is {@code postgres}) */
  static ScratchDatabase create(String server, String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return new ScratchDatabase(server, name);
  }

  String url() {
    return server + name;
  }

  /** Runs a script of this class path whose statements each end with {@code ;} at the end of a line. */
  void runScript(String resource) throws SQLException, IOException {
    String script;
    try (InputStream in = ScratchDatabase.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(url(), "postgres", ""); Statement s = c.createStatement()) {
      for (String statement : script.replaceAll("(?m)^--.*$", "").split(";\\s*\\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
