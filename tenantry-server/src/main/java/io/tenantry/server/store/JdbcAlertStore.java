package io.tenantry.server.store;

import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.alert.AlertEvent;
import io.tenantry.server.alert.HistoryQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts in tables {@code alert_events}, {@code alert_deliveries} and {@code alert_active} (see
 * {@code V4__alerts.sql}). An event, its deliveries and the firing set change in one transaction.
 */
final class JdbcAlertStore implements AlertStore {
  /** Longest delivery error kept (the column's size). */
  private static final int MAX_ERROR = 512;

  private final Jdbc jdbc;
  private final AdvisoryLock leader;

  JdbcAlertStore(Jdbc jdbc, AdvisoryLock leader) {
    this.jdbc = jdbc;
    this.leader = leader;
  }

  @Override
  public boolean lead() {
    return leader.hold();
  }

  @Override
  public AlertEvent append(AlertEvent e) {
    return jdbc.inTransaction("append of alert event " + e.policy() + "/" + e.rule(), c -> {
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_events (namespace, policy, rule, service,"
          + " tenant, state, severity, metric, percentile, measured, threshold, calls, alert_window, starts_at, happened_at,"
          + " instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, e.namespace());
        ps.setString(2, e.policy());
        ps.setString(3, e.rule());
        ps.setString(4, e.service());
        ps.setString(5, e.tenant());
        ps.setString(6, e.state().wire());
        ps.setString(7, e.severity().wire());
        ps.setString(8, e.metric().wire());
        ps.setString(9, e.percentile());
        ps.setDouble(10, e.value());
        ps.setDouble(11, e.threshold());
        ps.setLong(12, e.calls());
        ps.setString(13, e.window());
        Jdbc.setInstant(ps, 14, e.startsAt());
        Jdbc.setInstant(ps, 15, e.at());
        ps.setString(16, e.instance());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      for (int seq = 0; seq < e.deliveries().size(); seq++) {
        AlertEvent.Delivery d = e.deliveries().get(seq);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_deliveries (status, attempts, error,"
            + " updated_at, url, event_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          bindDelivery(ps, d);
          ps.setString(5, d.url());
          ps.setLong(6, id);
          ps.setInt(7, seq);
          ps.executeUpdate();
        }
      }
      String tenant = e.tenant() == null ? "" : e.tenant();
      String instance = e.instance() == null ? "" : e.instance();
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_active WHERE namespace = ? AND policy = ?"
          + " AND rule = ? AND service = ? AND tenant = ? AND instance = ?")) {
        Jdbc.strings(e.namespace(), e.policy(), e.rule(), e.service(), tenant, instance).bind(ps);
        ps.executeUpdate();
      }
      if (e.state() == AlertEvent.State.FIRING) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_active (namespace, policy, rule, service,"
            + " tenant, instance, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          Jdbc.strings(e.namespace(), e.policy(), e.rule(), e.service(), tenant, instance).bind(ps);
          ps.setLong(7, id);
          ps.executeUpdate();
        }
      }
      return e.withId(id);
    });
  }

  @Override
  public boolean delivery(long eventId, int seq, AlertEvent.Delivery d) {
    return jdbc.update("UPDATE alert_deliveries SET status = ?, attempts = ?, error = ?, updated_at = ?"
        + " WHERE event_id = ? AND seq = ?", ps -> {
          bindDelivery(ps, d);
          ps.setLong(5, eventId);
          ps.setInt(6, seq);
        }) > 0;
  }

  @Override
  public List<AlertEvent> firing() {
    return withDeliveries(jdbc.query("SELECT e.* FROM alert_events e JOIN alert_active a ON a.event_id = e.id"
        + " ORDER BY e.id", ps -> { }, JdbcAlertStore::event));
  }

  @Override
  public List<AlertEvent> history(String namespace, HistoryQuery q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM alert_events WHERE namespace = ? AND id < ?");
    List<String> values = new ArrayList<>();
    filter(sql, values, "service", q.service());
    filter(sql, values, "tenant", q.tenant());
    filter(sql, values, "instance", q.instance());
    filter(sql, values, "severity", q.severity() == null ? null : q.severity().wire());
    filter(sql, values, "policy", q.policy());
    filter(sql, values, "rule", q.rule());
    filter(sql, values, "state", q.state() == null ? null : q.state().wire());
    sql.append(" ORDER BY id DESC LIMIT ?");
    return withDeliveries(jdbc.query(sql.toString(), ps -> {
      ps.setString(1, namespace);
      ps.setLong(2, q.before());
      int i = 3;
      for (String v : values) {
        ps.setString(i++, v);
      }
      ps.setInt(i, q.limit());
    }, JdbcAlertStore::event));
  }

  @Override
  public int prune(Instant before, int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep: " + keep + " (expected: >= 0)");
    }
    String notFiring = " AND id NOT IN (SELECT event_id FROM alert_active)";
    int removed = jdbc.update("DELETE FROM alert_events WHERE happened_at < ?" + notFiring, ps -> Jdbc.setInstant(ps, 1, before));
    List<String> crowded = jdbc.query("SELECT namespace FROM alert_events GROUP BY namespace HAVING COUNT(*) > ?",
        ps -> ps.setInt(1, keep), rs -> rs.getString(1));
    for (String ns : crowded) {
      Long cutoff = jdbc.queryOne("SELECT id FROM alert_events WHERE namespace = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
          ps -> {
            ps.setString(1, ns);
            ps.setInt(2, keep);
          }, rs -> rs.getLong(1)).orElse(null);
      if (cutoff != null) {
        removed += jdbc.update("DELETE FROM alert_events WHERE namespace = ? AND id <= ?" + notFiring, ps -> {
          ps.setString(1, ns);
          ps.setLong(2, cutoff);
        });
      }
    }
    return removed;
  }

  private static void filter(StringBuilder sql, List<String> values, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      values.add(value);
    }
  }

  /** Binds status, attempts, error and updated_at as parameters 1 to 4. */
  private static void bindDelivery(PreparedStatement ps, AlertEvent.Delivery d) throws SQLException {
    ps.setString(1, d.status().wire());
    ps.setInt(2, d.attempts());
    if (d.error() == null) {
      ps.setNull(3, Types.VARCHAR);
    } else {
      ps.setString(3, d.error().length() > MAX_ERROR ? d.error().substring(0, MAX_ERROR) : d.error());
    }
    Jdbc.setInstant(ps, 4, d.updatedAt());
  }

  /** The events with their deliveries, read in one more query. */
  private List<AlertEvent> withDeliveries(List<AlertEvent> events) {
    if (events.isEmpty()) {
      return events;
    }
    Map<Long, List<AlertEvent.Delivery>> byEvent = new HashMap<>();
    String marks = String.join(", ", Collections.nCopies(events.size(), "?"));
    jdbc.query("SELECT * FROM alert_deliveries WHERE event_id IN (" + marks + ") ORDER BY event_id, seq", ps -> {
      for (int i = 0; i < events.size(); i++) {
        ps.setLong(i + 1, events.get(i).id());
      }
    }, rs -> byEvent.computeIfAbsent(rs.getLong("event_id"), k -> new ArrayList<>()).add(new AlertEvent.Delivery(
        rs.getString("url"), AlertEvent.DeliveryStatus.of(rs.getString("status")), rs.getInt("attempts"),
        rs.getString("error"), Jdbc.getInstant(rs, "updated_at"))));
    List<AlertEvent> out = new ArrayList<>(events.size());
    for (AlertEvent e : events) {
      out.add(new AlertEvent(e.id(), e.namespace(), e.policy(), e.rule(), e.service(), e.tenant(), e.instance(),
          e.state(), e.severity(), e.metric(), e.percentile(), e.value(), e.threshold(), e.calls(), e.window(),
          e.startsAt(), e.at(), byEvent.getOrDefault(e.id(), List.of())));
    }
    return out;
  }

  private static AlertEvent event(ResultSet rs) throws SQLException {
    return new AlertEvent(rs.getLong("id"), rs.getString("namespace"), rs.getString("policy"), rs.getString("rule"),
        rs.getString("service"), rs.getString("tenant"), rs.getString("instance"), AlertEvent.State.of(rs.getString("state")),
        AlertSpec.Severity.of(rs.getString("severity")), AlertSpec.Metric.of(rs.getString("metric")),
        rs.getString("percentile"), rs.getDouble("measured"), rs.getDouble("threshold"), rs.getLong("calls"),
        rs.getString("alert_window"), Jdbc.getInstant(rs, "starts_at"), Jdbc.getInstant(rs, "happened_at"), List.of());
  }
}
