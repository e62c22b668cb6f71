package io.tenantry.demo.service;

import io.tenantry.api.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The namespace's service API key, which every demo instance holds, as the credential of the
 * instances' internal routes ({@code Authorization: Bearer <key>}): peers' replication and the
 * launcher's fault switch. Compared in constant time. Immutable; thread-safe.
 */
final class ServiceKey {
  private final byte[] key;

  ServiceKey(String key) {
    this.key = Objects.requireNonNull(key, "apiKey").getBytes(StandardCharsets.UTF_8);
  }

  /** The header value that carries this key. */
  String bearer() {
    return Headers.BEARER + new String(key, StandardCharsets.UTF_8);
  }

  /** Throws a 401 problem unless {@code header} is {@code Bearer <this key>}. */
  void check(String header) {
    if (!matches(header)) {
      throw new HttpProblem(401, "unauthorized",
          Headers.AUTHORIZATION + ": missing or wrong (expected: Bearer <the namespace's service key>)",
          Headers.AUTHORIZATION);
    }
  }

  private boolean matches(String header) {
    if (header == null || !header.startsWith(Headers.BEARER)) {
      return false;
    }
    // constant time: the comparison must not tell how much of a guess was right
    return MessageDigest.isEqual(header.substring(Headers.BEARER.length()).getBytes(StandardCharsets.UTF_8), key);
  }
}
