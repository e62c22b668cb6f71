package io.tenantry.server.tx;

import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.Jwks;
import io.tenantry.server.store.SigningKeyStore;
import io.tenantry.server.store.SigningKeyStore.StoredSigningKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's Ed25519 signing key: made once by the first node that starts on a store and kept there, so
 * every node and every restart signs with the same key and participants' cached JWKS stay right. Mints the
 * {@link CoordinatorToken} of each phase-two call. Immutable and thread-safe.
 */
public final class SigningKeys {
  /** How long a phase-two token is valid. */
  static final Duration TOKEN_LIFE = Duration.ofSeconds(60);
  private static final String ALGORITHM = "Ed25519";

  private final String kid;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final Clock clock;

  private SigningKeys(String kid, PrivateKey privateKey, PublicKey publicKey, Clock clock) {
    this.kid = kid;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.clock = clock;
  }

  /** The store's key, made and stored first if it has none (the oldest wins a race between nodes). */
  public static SigningKeys loadOrCreate(SigningKeyStore store, Clock clock) {
    if (store.current().isEmpty()) {
      store.insert(generate(clock));
    }
    StoredSigningKey stored = store.current().orElseThrow(() -> new IllegalStateException("no signing key after insert"));
    try {
      KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored.privateKey())));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(stored.publicKey())));
      return new SigningKeys(stored.kid(), priv, pub, clock);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("signing key " + stored.kid() + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static StoredSigningKey generate(Clock clock) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      byte[] id = new byte[8];
      new SecureRandom().nextBytes(id);
      Base64.Encoder b64 = Base64.getEncoder();
      return new StoredSigningKey("tx-" + HexFormat.of().formatHex(id), ALGORITHM,
          b64.encodeToString(pair.getPrivate().getEncoded()), b64.encodeToString(pair.getPublic().getEncoded()), clock.instant());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
    }
  }

  public String kid() {
    return kid;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The JWKS document: {@code {"keys":[…]}}. */
  public Map<String, List<Map<String, String>>> jwks() {
    return Map.of("keys", List.of(Jwks.toJwk(kid, publicKey)));
  }

  /** A signed token for one phase-two call of one branch, for {@code <namespace>/<service>}. */
  String mint(String namespace, String service, String xid, int branch, BranchPhase phase) {
    long now = clock.instant().getEpochSecond();
    return new CoordinatorToken(kid, CoordinatorToken.audience(namespace, service), xid, branch, phase, now,
        now + TOKEN_LIFE.toSeconds()).sign(privateKey);
  }
}
