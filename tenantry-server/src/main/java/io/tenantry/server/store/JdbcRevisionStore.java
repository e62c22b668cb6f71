package io.tenantry.server.store;

import io.tenantry.server.watch.RevisionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The revision high-water mark in the one row of table {@code revisions}. The update takes the row's
 * lock, so two processes on one PostgreSQL never get overlapping blocks.
 */
final class JdbcRevisionStore implements RevisionStore {
  private final Jdbc jdbc;

  JdbcRevisionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public long reserve(long size) {
    if (size < 1) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
    }
    return jdbc.inTransaction("reserve revisions", c -> {
      try (PreparedStatement up = c.prepareStatement("UPDATE revisions SET high = high + ? WHERE id = 1")) {
        up.setLong(1, size);
        if (up.executeUpdate() != 1) {
          throw new IllegalStateException("table revisions has no row 1: the schema is damaged");
        }
      }
      try (PreparedStatement q = c.prepareStatement("SELECT high FROM revisions WHERE id = 1");
           ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1) - size + 1;
      }
    });
  }
}
