package io.tenantry.api.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenantry.api.Json;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bearer token the coordinator presents to a participant for one phase-two call: a compact JWS (JWT)
 * signed with Ed25519 ({@code alg: EdDSA}), its key published in the control plane's JWKS
 * ({@code /.well-known/jwks.json}). It names one branch of one transaction, one phase and the service
 * ({@code aud: <namespace>/<service>}), and lives a minute, so a captured token can do nothing else.
 *
 * @param kid       the signing key's id
 * @param audience  {@code <namespace>/<service>}
 * @param issuedAt  seconds since the epoch
 * @param expiresAt seconds since the epoch
 */
public record CoordinatorToken(String kid, String audience, String xid, int branch, BranchPhase phase, long issuedAt,
    long expiresAt) {
  public static final String ISSUER = "tenantry";
  public static final String SUBJECT = "tx-coordinator";
  /** How much clock skew between the coordinator and a participant is forgiven. */
  public static final long LEEWAY_SECONDS = 30;
  /** Longer bearer values are refused before they are parsed. */
  public static final int MAX_LENGTH = 2048;

  private static final ObjectMapper JSON = Json.newMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  public CoordinatorToken {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(xid, "xid");
    Objects.requireNonNull(phase, "phase");
  }

  /** The audience of a service's tokens. */
  public static String audience(String namespace, String service) {
    return namespace + "/" + service;
  }

  /** This token signed with {@code key} (an Ed25519 private key), as {@code header.payload.signature}. */
  public String sign(PrivateKey key) {
    ObjectNode header = JSON.createObjectNode().put("alg", "EdDSA").put("typ", "JWT").put("kid", kid);
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", ISSUER).put("sub", SUBJECT).put("aud", audience)
        .put("xid", xid).put("branch", branch).put("phase", phase.wire())
        .put("iat", issuedAt).put("exp", expiresAt);
    String signingInput = B64.encodeToString(bytes(header)) + "." + B64.encodeToString(bytes(claims));
    byte[] message = signingInput.getBytes(StandardCharsets.US_ASCII);
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(rawPrivate(key), 0, message, 0, message.length, signature, 0);
    return signingInput + "." + B64.encodeToString(signature);
  }

  /*
   * Ed25519 by Bouncy Castle's RFC 8032 code rather than the JDK's Signature: the same signatures, about ten times
   * less CPU (the JDK's took ~400 us per signature and per check on this project's machines, a phase-two call
   * one of each). Keys stay JDK keys (stored, published as JWKS); their raw 32 bytes are what RFC 8032 signs with.
   */

  /** The 32-byte seed of an Ed25519 private key. */
  private static byte[] rawPrivate(PrivateKey key) {
    if (key instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
      return ed.getBytes().get();
    }
    byte[] pkcs8 = key.getEncoded(); // Ed25519's PKCS#8 ends in the 32-byte seed
    if (!"Ed25519".equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())
        || pkcs8 == null || pkcs8.length < Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalStateException("cannot sign with Ed25519: not an Ed25519 private key (" + key.getAlgorithm() + ")");
    }
    return Arrays.copyOfRange(pkcs8, pkcs8.length - Ed25519.SECRET_KEY_SIZE, pkcs8.length);
  }

  /** The 32-byte encoded point of an Ed25519 public key, or null if it is none. */
  private static byte[] rawPublic(PublicKey key) {
    byte[] x509 = key.getEncoded(); // Ed25519's SubjectPublicKeyInfo is a 12-byte prefix and the 32-byte point
    if (!"Ed25519".equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())
        || x509 == null || x509.length != 12 + Ed25519.PUBLIC_KEY_SIZE) {
      return null;
    }
    return Arrays.copyOfRange(x509, 12, x509.length);
  }

  /**
   * Parses and checks {@code token}: its form, its signature by the key {@code keys} finds for its
   * {@code kid} (null: unknown key), issuer, subject and lifetime against {@code now}. The caller still
   * compares audience, xid, branch and phase with the request it came with.
   *
   * @throws InvalidTokenException saying what is wrong (safe to show the caller)
   */
  public static CoordinatorToken verify(String token, Function<String, PublicKey> keys, Instant now) {
    if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
      throw new InvalidTokenException("missing or oversized bearer token");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("not a compact JWS");
    }
    JsonNode header = decode(parts[0]);
    if (!"EdDSA".equals(header.path("alg").asText())) {
      throw new InvalidTokenException("alg must be EdDSA");
    }
    String kid = header.path("kid").asText("");
    PublicKey key = kid.isEmpty() ? null : keys.apply(kid);
    if (key == null) {
      throw new InvalidTokenException("unknown signing key '" + shorten(kid) + "'");
    }
    byte[] point = rawPublic(key);
    byte[] signature;
    try {
      signature = B64D.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("bad signature");
    }
    byte[] message = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (point == null || signature.length != Ed25519.SIGNATURE_SIZE
        || !Ed25519.verify(signature, 0, point, 0, message, 0, message.length)) {
      throw new InvalidTokenException("bad signature");
    }
    JsonNode c = decode(parts[1]);
    if (!ISSUER.equals(c.path("iss").asText()) || !SUBJECT.equals(c.path("sub").asText())) {
      throw new InvalidTokenException("not a coordinator token");
    }
    long iat = c.path("iat").asLong(Long.MIN_VALUE);
    long exp = c.path("exp").asLong(Long.MIN_VALUE);
    long t = now.getEpochSecond();
    if (exp == Long.MIN_VALUE || t > exp + LEEWAY_SECONDS || iat == Long.MIN_VALUE || iat > t + LEEWAY_SECONDS) {
      throw new InvalidTokenException("expired or not yet valid");
    }
    BranchPhase phase;
    try {
      phase = BranchPhase.of(c.path("phase").asText());
    } catch (RuntimeException e) {
      throw new InvalidTokenException("bad phase claim");
    }
    if (!c.path("aud").isTextual() || !c.path("xid").isTextual() || !c.path("branch").canConvertToInt()) {
      throw new InvalidTokenException("missing claims");
    }
    return new CoordinatorToken(kid, c.path("aud").asText(), c.path("xid").asText(), c.path("branch").asInt(), phase,
        iat, exp);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode decode(String part) {
    try {
      JsonNode n = JSON.readTree(B64D.decode(part));
      if (n == null || !n.isObject()) {
        throw new InvalidTokenException("not a JWT");
      }
      return n;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidTokenException("not a JWT");
    }
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** A token that must be refused; the message says why and is safe to send back. */
  public static final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
      super(message, null, false, false);
    }
  }
}
