package io.tenantry.server.store;

import io.tenantry.api.ApiKey;
import java.util.Objects;

/**
 * A credential as stored: its public part and the SHA-256 of its full token as lower-case hex. The
 * secret itself is never stored.
 */
public record StoredApiKey(ApiKey key, String secretHash) {
  public StoredApiKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(secretHash, "secretHash");
    if (secretHash.length() != 64) {
      throw new IllegalArgumentException("secretHash: " + secretHash.length() + " characters (expected: 64 hex)");
    }
  }
}
