package io.tenantry.server.store;

import java.util.Optional;

/** Signing keys in table {@code signing_keys} (see {@code V5__transactions.sql}). */
final class JdbcSigningKeyStore implements SigningKeyStore {
  private final Jdbc jdbc;

  JdbcSigningKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<StoredSigningKey> current() {
    return jdbc.queryOne("SELECT kid, algorithm, private_key, public_key, created_at FROM signing_keys"
        + " ORDER BY created_at, kid LIMIT 1", ps -> {}, rs -> new StoredSigningKey(rs.getString("kid"),
        rs.getString("algorithm"), rs.getString("private_key"), rs.getString("public_key"), Jdbc.getInstant(rs, "created_at")));
  }

  @Override
  public boolean insert(StoredSigningKey key) {
    return jdbc.insert("INSERT INTO signing_keys (kid, algorithm, private_key, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, key.kid());
          ps.setString(2, key.algorithm());
          ps.setString(3, key.privateKey());
          ps.setString(4, key.publicKey());
          Jdbc.setInstant(ps, 5, key.createdAt());
        });
  }
}
