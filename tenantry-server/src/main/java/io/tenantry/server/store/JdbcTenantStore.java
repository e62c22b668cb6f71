package io.tenantry.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Isolation;
import io.tenantry.api.Json;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tenants in table {@code tenants}; labels as a JSON object in a text column. */
final class JdbcTenantStore implements TenantStore {
  private static final ObjectMapper MAPPER = Json.newMapper();
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final Jdbc jdbc;

  JdbcTenantStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(Tenant t) {
    return jdbc.insert("INSERT INTO tenants (tier, status, isolation, labels, revision, namespace, id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> bind(ps, t));
  }

  @Override
  public boolean update(Tenant t) {
    return jdbc.update("UPDATE tenants SET tier = ?, status = ?, isolation = ?, labels = ?, revision = ?"
        + " WHERE namespace = ? AND id = ?", ps -> bind(ps, t)) == 1;
  }

  @Override
  public boolean delete(String namespace, String id) {
    return jdbc.update("DELETE FROM tenants WHERE namespace = ? AND id = ?", Jdbc.strings(namespace, id)) == 1;
  }

  @Override
  public Optional<Tenant> get(String namespace, String id) {
    return jdbc.queryOne("SELECT * FROM tenants WHERE namespace = ? AND id = ?", Jdbc.strings(namespace, id),
        JdbcTenantStore::map);
  }

  @Override
  public List<Tenant> list(String namespace) {
    return jdbc.query("SELECT * FROM tenants WHERE namespace = ? ORDER BY id", ps -> ps.setString(1, namespace),
        JdbcTenantStore::map);
  }

  private static void bind(PreparedStatement ps, Tenant t) throws SQLException {
    ps.setString(1, t.tier());
    ps.setString(2, t.status().name());
    ps.setString(3, t.isolation().name());
    try {
      ps.setString(4, MAPPER.writeValueAsString(t.labels()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels of tenant " + t.id() + " cannot be written", e);
    }
    ps.setLong(5, t.revision());
    ps.setString(6, t.namespace());
    ps.setString(7, t.id());
  }

  private static Tenant map(ResultSet rs) throws SQLException {
    Map<String, String> labels;
    try {
      labels = MAPPER.readValue(rs.getString("labels"), LABELS);
    } catch (JsonProcessingException e) {
      throw new SQLException("labels of tenant " + rs.getString("id") + " are not a JSON object", e);
    }
    return new Tenant(rs.getString("namespace"), rs.getString("id"), rs.getString("tier"),
        TenantStatus.valueOf(rs.getString("status")), Isolation.valueOf(rs.getString("isolation")), labels,
        rs.getLong("revision"));
  }
}
