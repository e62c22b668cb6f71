package io.tenantry.server.store;

import java.time.Instant;
import java.util.Optional;

/** The coordinator's token signing keys, shared by every node of a store. Thread-safe. */
public interface SigningKeyStore {
  /** The oldest key, if any: the one every node signs with. */
  Optional<StoredSigningKey> current();

  /** Stores a new key; false if its kid is taken. */
  boolean insert(StoredSigningKey key);

  /**
   * A signing key as stored: {@code privateKey} PKCS#8 and {@code publicKey} X.509, both base64.
   */
  record StoredSigningKey(String kid, String algorithm, String privateKey, String publicKey, Instant createdAt) {
    /** The private key is never part of the text form. */
    @Override
    public String toString() {
      return "StoredSigningKey[kid=" + kid + ", algorithm=" + algorithm + ", createdAt=" + createdAt + "]";
    }
  }
}
