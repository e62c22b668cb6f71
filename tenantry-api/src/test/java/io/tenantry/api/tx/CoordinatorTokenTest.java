package io.tenantry.api.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Tokens are standard Ed25519 JWS: the JDK's own Ed25519 checks ours and ours checks the JDK's; tampering is refused. */
class CoordinatorTokenTest {
  private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
  private static final CoordinatorToken TOKEN = new CoordinatorToken("k1", "shop/payment", "0123456789abcdef0123456789abcdef",
      2, BranchPhase.CONFIRM, NOW.getEpochSecond(), NOW.getEpochSecond() + 60);

  private static KeyPair ed25519() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @Test
  void ourSignature_isCheckedByTheJdksEd25519_andRoundTrips() throws Exception {
    KeyPair keys = ed25519();
    String jws = TOKEN.sign(keys.getPrivate());

    String[] parts = jws.split("\\.");
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(keys.getPublic());
    jdk.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(jdk.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    assertThat(CoordinatorToken.verify(jws, kid -> kid.equals("k1") ? keys.getPublic() : null, NOW)).isEqualTo(TOKEN);
  }

  @Test
  void theJdksSignature_isCheckedByOurs() throws Exception {
    KeyPair keys = ed25519();
    String[] ours = TOKEN.sign(keys.getPrivate()).split("\\.");
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(keys.getPrivate());
    jdk.update((ours[0] + "." + ours[1]).getBytes(StandardCharsets.US_ASCII));
    String jdkSigned = ours[0] + "." + ours[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(jdk.sign());

    assertThat(CoordinatorToken.verify(jdkSigned, kid -> keys.getPublic(), NOW)).isEqualTo(TOKEN);
  }

  @Test
  void anotherKeysSignature_aTamperedClaim_andAShortSignature_areRefused() throws Exception {
    KeyPair keys = ed25519();
    KeyPair other = ed25519();
    String jws = TOKEN.sign(other.getPrivate());
    assertThatThrownBy(() -> CoordinatorToken.verify(jws, kid -> keys.getPublic(), NOW))
        .isInstanceOf(CoordinatorToken.InvalidTokenException.class).hasMessage("bad signature");

    String[] parts = TOKEN.sign(keys.getPrivate()).split("\\.");
    String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"branch\":2", "\"branch\":3")
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> CoordinatorToken.verify(parts[0] + "." + forgedClaims + "." + parts[2], kid -> keys.getPublic(), NOW))
        .hasMessage("bad signature");
    assertThatThrownBy(() -> CoordinatorToken.verify(parts[0] + "." + parts[1] + ".AAAA", kid -> keys.getPublic(), NOW))
        .hasMessage("bad signature");
  }

  @Test
  void aKeyThatIsNotEd25519_isRefused() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    KeyPair keys = ed25519();
    String jws = TOKEN.sign(keys.getPrivate());

    assertThatThrownBy(() -> TOKEN.sign(rsa.getPrivate())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not an Ed25519 private key");
    assertThatThrownBy(() -> CoordinatorToken.verify(jws, kid -> rsa.getPublic(), NOW)).hasMessage("bad signature");
  }
}
