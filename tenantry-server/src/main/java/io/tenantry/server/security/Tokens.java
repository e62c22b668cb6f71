package io.tenantry.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The API key token format, {@code tnt_<keyId>_<secret>}: the key id finds the stored hash, the secret
 * (32 random bytes, base64url) makes the token unguessable. Only SHA-256 of the whole token is stored.
 * Thread-safe.
 */
final class Tokens {
  static final String PREFIX = "tnt_";
  /** The key id of the bootstrap platform-admin credential, whatever the format of its token. */
  static final String ADMIN_KEY_ID = "admin";
  /** What a configured admin key must look like. */
  static final Pattern CONFIGURED_ADMIN_KEY = Pattern.compile("[A-Za-z0-9_-]{20,200}");
  /** Longer bearer values are refused before any work is done on them. */
  static final int MAX_TOKEN_LENGTH = 256;

  private static final int SECRET_BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();
  /** Every authenticated request hashes its token: one digest per thread, made once. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Tokens::sha256);
  private static final int KEY_ID_BYTES = 8;

  private final SecureRandom random;

  Tokens(SecureRandom random) {
    this.random = random;
  }

  /** A fresh random key id: 16 lower-case hex characters (never an underscore). */
  String newKeyId() {
    byte[] b = new byte[KEY_ID_BYTES];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A fresh token for {@code keyId}. */
  String newToken(String keyId) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The key id a token claims, or {@link #ADMIN_KEY_ID} for a token not in the {@code tnt_} format. */
  static String keyIdOf(String token) {
    if (token.startsWith(PREFIX)) {
      int end = token.indexOf('_', PREFIX.length());
      if (end > PREFIX.length()) {
        return token.substring(PREFIX.length(), end);
      }
    }
    return ADMIN_KEY_ID;
  }

  /** SHA-256 of the token's UTF-8 bytes as lower-case hex. */
  static String hash(String token) {
    // digest() resets the instance, so each thread reuses its own: getInstance looks the provider up every time
    return HEX.formatHex(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Compares two hashes in time independent of where they differ. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
