package io.tenantry.server.store;

import io.tenantry.api.ApiKey;
import io.tenantry.api.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/** Credentials in table {@code api_keys}: the public part and the SHA-256 of the token, never the token. */
final class JdbcApiKeyStore implements ApiKeyStore {
  private final Jdbc jdbc;

  JdbcApiKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(StoredApiKey stored) {
    ApiKey k = stored.key();
    return jdbc.insert("INSERT INTO api_keys (id, namespace, name, role, secret_hash, created_at, revoked)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
          ps.setString(1, k.id());
          if (k.namespace() == null) {
            ps.setNull(2, Types.VARCHAR);
          } else {
            ps.setString(2, k.namespace());
          }
          ps.setString(3, k.name());
          ps.setString(4, k.role().wire());
          ps.setString(5, stored.secretHash());
          Jdbc.setInstant(ps, 6, k.createdAt());
          ps.setBoolean(7, k.revoked());
        });
  }

  @Override
  public Optional<StoredApiKey> get(String id) {
    return jdbc.queryOne("SELECT * FROM api_keys WHERE id = ?", ps -> ps.setString(1, id), JdbcApiKeyStore::map);
  }

  @Override
  public List<StoredApiKey> list(String namespace) {
    return jdbc.query("SELECT * FROM api_keys WHERE namespace = ? ORDER BY created_at, id",
        ps -> ps.setString(1, namespace), JdbcApiKeyStore::map);
  }

  @Override
  public List<StoredApiKey> listActive() {
    return jdbc.query("SELECT * FROM api_keys WHERE revoked = FALSE", ps -> { }, JdbcApiKeyStore::map);
  }

  @Override
  public boolean revoke(String namespace, String id) {
    return jdbc.update("UPDATE api_keys SET revoked = TRUE WHERE namespace = ? AND id = ? AND revoked = FALSE",
        Jdbc.strings(namespace, id)) == 1;
  }

  @Override
  public boolean hasPlatformAdmin() {
    return !jdbc.query("SELECT id FROM api_keys WHERE role = ?", ps -> ps.setString(1, Role.PLATFORM_ADMIN.wire()),
        rs -> rs.getString(1)).isEmpty();
  }

  private static StoredApiKey map(ResultSet rs) throws SQLException {
    ApiKey key = new ApiKey(rs.getString("id"), rs.getString("namespace"), rs.getString("name"),
        Role.of(rs.getString("role")), Jdbc.getInstant(rs, "created_at"), rs.getBoolean("revoked"));
    return new StoredApiKey(key, rs.getString("secret_hash"));
  }
}
