package io.tenantry.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * Policies in tables {@code policies} (current versions) and {@code policy_history} (every version); the
 * spec as its JSON text. A write changes both tables in one transaction.
 */
final class JdbcPolicyStore implements PolicyStore {
  private static final ObjectMapper MAPPER = Json.newMapper();
  /** The content columns both tables share, in the order {@link #bindContent} binds them. */
  private static final String CONTENT = "service, dry_run, description, spec, version, revision, updated_by, updated_at";

  private final Jdbc jdbc;

  JdbcPolicyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(PolicyVersion v) {
    Policy p = v.policy();
    jdbc.inTransaction("write of policy " + p.key() + " v" + p.version(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_history (" + CONTENT
          + ", action, restored_version, namespace, kind, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = bindContent(ps, p);
        ps.setString(i++, v.action().wire());
        if (v.restoredVersion() == null) {
          ps.setNull(i++, Types.BIGINT);
        } else {
          ps.setLong(i++, v.restoredVersion());
        }
        bindKey(ps, i, p.namespace(), p.kind(), p.name());
        ps.executeUpdate();
      }
      if (v.action() == PolicyAction.DELETED) {
        execute(c, "DELETE FROM policies WHERE namespace = ? AND kind = ? AND name = ?", p, false);
      } else if (execute(c, "UPDATE policies SET service = ?, dry_run = ?, description = ?, spec = ?, version = ?,"
          + " revision = ?, updated_by = ?, updated_at = ? WHERE namespace = ? AND kind = ? AND name = ?", p, true) == 0) {
        execute(c, "INSERT INTO policies (" + CONTENT + ", namespace, kind, name)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p, true);
      }
      return null;
    });
  }

  @Override
  public Optional<Policy> get(String namespace, PolicyKind kind, String name) {
    return jdbc.queryOne("SELECT * FROM policies WHERE namespace = ? AND kind = ? AND name = ?",
        ps -> bindKey(ps, 1, namespace, kind, name), JdbcPolicyStore::policy);
  }

  @Override
  public List<Policy> list(String namespace, PolicyKind kind, String service) {
    String sql = "SELECT * FROM policies WHERE namespace = ?" + (kind == null ? "" : " AND kind = ?")
        + (service == null ? "" : " AND service = ?") + " ORDER BY kind, name";
    return jdbc.query(sql, ps -> {
      int i = 1;
      ps.setString(i++, namespace);
      if (kind != null) {
        ps.setString(i++, kind.wire());
      }
      if (service != null) {
        ps.setString(i, service);
      }
    }, JdbcPolicyStore::policy);
  }

  @Override
  public List<PolicyVersion> history(String namespace, PolicyKind kind, String name, long before, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
    }
    return jdbc.query("SELECT * FROM policy_history WHERE namespace = ? AND kind = ? AND name = ? AND version < ?"
        + " ORDER BY version DESC LIMIT ?", ps -> {
          bindKey(ps, 1, namespace, kind, name);
          ps.setLong(4, before);
          ps.setInt(5, limit);
        }, JdbcPolicyStore::version);
  }

  @Override
  public Optional<PolicyVersion> version(String namespace, PolicyKind kind, String name, long version) {
    return jdbc.queryOne("SELECT * FROM policy_history WHERE namespace = ? AND kind = ? AND name = ? AND version = ?",
        ps -> {
          bindKey(ps, 1, namespace, kind, name);
          ps.setLong(4, version);
        }, JdbcPolicyStore::version);
  }

  @Override
  public long lastVersion(String namespace, PolicyKind kind, String name) {
    return jdbc.queryOne("SELECT MAX(version) FROM policy_history WHERE namespace = ? AND kind = ? AND name = ?",
        ps -> bindKey(ps, 1, namespace, kind, name), rs -> rs.getLong(1)).orElse(0L);
  }

  /** Runs one statement on {@code p}'s row, with its content first if {@code content}; the rows changed. */
  private static int execute(Connection c, String sql, Policy p, boolean content) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindKey(ps, content ? bindContent(ps, p) : 1, p.namespace(), p.kind(), p.name());
      return ps.executeUpdate();
    }
  }

  /** Binds the {@link #CONTENT} columns from parameter 1; returns the next parameter index. */
  private static int bindContent(PreparedStatement ps, Policy p) throws SQLException {
    ps.setString(1, p.service());
    ps.setBoolean(2, p.dryRun());
    ps.setString(3, p.description());
    try {
      ps.setString(4, MAPPER.writeValueAsString(p.spec()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("spec of policy " + p.key() + " cannot be written", e);
    }
    ps.setLong(5, p.version());
    ps.setLong(6, p.revision());
    ps.setString(7, p.updatedBy());
    Jdbc.setInstant(ps, 8, p.updatedAt());
    return 9;
  }

  private static void bindKey(PreparedStatement ps, int from, String namespace, PolicyKind kind, String name)
      throws SQLException {
    ps.setString(from, namespace);
    ps.setString(from + 1, kind.wire());
    ps.setString(from + 2, name);
  }

  private static Policy policy(ResultSet rs) throws SQLException {
    JsonNode spec;
    try {
      spec = MAPPER.readTree(rs.getString("spec"));
    } catch (JsonProcessingException e) {
      throw new SQLException("spec of policy " + rs.getString("kind") + "/" + rs.getString("name")
          + " is not JSON", e);
    }
    return new Policy(rs.getString("namespace"), PolicyKind.of(rs.getString("kind")), rs.getString("name"),
        rs.getString("service"), rs.getBoolean("dry_run"), rs.getString("description"), spec,
        rs.getLong("version"), rs.getLong("revision"), rs.getString("updated_by"), Jdbc.getInstant(rs, "updated_at"));
  }

  private static PolicyVersion version(ResultSet rs) throws SQLException {
    long restored = rs.getLong("restored_version");
    Long restoredVersion = rs.wasNull() ? null : restored;
    return new PolicyVersion(PolicyAction.of(rs.getString("action")), restoredVersion, policy(rs));
  }
}
