package io.tenantry.server.store;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Spans in table {@code spans}, one row per span; a batch is one JDBC batch in one transaction. */
final class JdbcSpanStore implements SpanStore {
  private final Jdbc jdbc;

  JdbcSpanStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(List<StoredSpan> spans) {
    if (spans.isEmpty()) {
      return;
    }
    jdbc.inTransaction("append of " + spans.size() + " spans", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO spans (namespace, trace_id, received_at, span) VALUES (?, ?, ?, ?)")) {
        for (StoredSpan s : spans) {
          ps.setString(1, s.namespace());
          ps.setString(2, s.traceId());
          ps.setLong(3, s.receivedAt());
          ps.setBytes(4, s.span());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<StoredSpan> recent(long since, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
    }
    List<StoredSpan> newestFirst = jdbc.query("SELECT namespace, trace_id, received_at, span FROM spans"
        + " WHERE received_at >= ? ORDER BY received_at DESC LIMIT ?", ps -> {
          ps.setLong(1, since);
          ps.setInt(2, limit);
        }, rs -> new StoredSpan(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
    List<StoredSpan> out = new ArrayList<>(newestFirst);
    Collections.reverse(out);
    return out;
  }

  @Override
  public int deleteReceivedBefore(long cutoff) {
    return jdbc.update("DELETE FROM spans WHERE received_at < ?", ps -> ps.setLong(1, cutoff));
  }

  @Override
  public int trimTo(int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep: " + keep + " (expected: >= 0)");
    }
    if (keep == 0) {
      return jdbc.update("DELETE FROM spans", ps -> { });
    }
    // the receive time of the oldest span to keep; none when there are at most `keep` spans
    return jdbc.queryOne("SELECT received_at FROM spans ORDER BY received_at DESC LIMIT 1 OFFSET ?",
            ps -> ps.setInt(1, keep - 1), rs -> rs.getLong(1))
        .map(this::deleteReceivedBefore)
        .orElse(0);
  }

  @Override
  public int deleteNamespace(String namespace) {
    return jdbc.update("DELETE FROM spans WHERE namespace = ?", Jdbc.strings(namespace));
  }

  @Override
  public long count() {
    return jdbc.queryOne("SELECT COUNT(*) FROM spans", ps -> { }, rs -> rs.getLong(1)).orElse(0L);
  }
}
