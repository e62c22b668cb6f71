package io.tenantry.server.store;

import io.tenantry.api.Namespace;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Namespaces in table {@code namespaces}; tenants and keys go with them by {@code ON DELETE CASCADE}. */
final class JdbcNamespaceStore implements NamespaceStore {
  private final Jdbc jdbc;

  JdbcNamespaceStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(Namespace ns) {
    return jdbc.insert("INSERT INTO namespaces (name, description, created_at, revision) VALUES (?, ?, ?, ?)", ps -> {
      ps.setString(1, ns.name());
      ps.setString(2, ns.description());
      Jdbc.setInstant(ps, 3, ns.createdAt());
      ps.setLong(4, ns.revision());
    });
  }

  @Override
  public boolean update(Namespace ns) {
    return jdbc.update("UPDATE namespaces SET description = ?, revision = ? WHERE name = ?", ps -> {
      ps.setString(1, ns.description());
      ps.setLong(2, ns.revision());
      ps.setString(3, ns.name());
    }) == 1;
  }

  @Override
  public boolean delete(String name) {
    return jdbc.update("DELETE FROM namespaces WHERE name = ?", ps -> ps.setString(1, name)) == 1;
  }

  @Override
  public Optional<Namespace> get(String name) {
    return jdbc.queryOne("SELECT * FROM namespaces WHERE name = ?", ps -> ps.setString(1, name), JdbcNamespaceStore::map);
  }

  @Override
  public List<Namespace> list() {
    return jdbc.query("SELECT * FROM namespaces ORDER BY name", ps -> { }, JdbcNamespaceStore::map);
  }

  private static Namespace map(ResultSet rs) throws SQLException {
    return new Namespace(rs.getString("name"), rs.getString("description"), Jdbc.getInstant(rs, "created_at"),
        rs.getLong("revision"));
  }
}
