package io.tenantry.api.tx;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 public keys as JSON Web Keys (RFC 8037: {@code kty OKP}, {@code crv Ed25519}, {@code x} the raw
 * 32-byte key in base64url), as the control plane publishes them at {@code /.well-known/jwks.json}
 * ({@code {"keys":[...]}}).
 */
public final class Jwks {
  /** The DER prefix of an X.509 SubjectPublicKeyInfo holding a raw Ed25519 key. */
  private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final int RAW_KEY_BYTES = 32;

  private Jwks() {}

  /** {@code key} (Ed25519, X.509-encoded as the JDK makes it) as a JWK named {@code kid}. */
  public static Map<String, String> toJwk(String kid, PublicKey key) {
    byte[] der = key.getEncoded();
    byte[] raw = Arrays.copyOfRange(der, der.length - RAW_KEY_BYTES, der.length);
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("use", "sig");
    jwk.put("alg", "EdDSA");
    jwk.put("kid", kid);
    jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    return jwk;
  }

  /** The Ed25519 public key of {@code jwk}, or null if it is not one. */
  public static PublicKey fromJwk(JsonNode jwk) {
    if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())) {
      return null;
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(jwk.path("x").asText());
      if (raw.length != RAW_KEY_BYTES) {
        return null;
      }
      byte[] der = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + RAW_KEY_BYTES);
      System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, RAW_KEY_BYTES);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
