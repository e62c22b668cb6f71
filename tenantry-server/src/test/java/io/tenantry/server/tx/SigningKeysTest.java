package io.tenantry.server.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.Jwks;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir
  Path dataDir;

  @Test
  void loadOrCreate_makesOneKey_andEveryLaterLoadSignsWithIt() {
    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      SigningKeys first = SigningKeys.loadOrCreate(store.signingKeys(), Clock.systemUTC());
      SigningKeys again = SigningKeys.loadOrCreate(store.signingKeys(), Clock.systemUTC());

      assertThat(again.kid()).isEqualTo(first.kid());
      assertThat(again.publicKey()).isEqualTo(first.publicKey());
    }
  }

  @Test
  void mint_isVerifiedWithTheJwksKey_andNamesOneBranchPhaseAndService() {
    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      SigningKeys keys = SigningKeys.loadOrCreate(store.signingKeys(), Clock.systemUTC());
      Map<String, String> jwk = keys.jwks().get("keys").get(0);
      var published = Jwks.fromJwk(io.tenantry.api.Json.newMapper().valueToTree(jwk));

      String token = keys.mint("shop", "payment", "0".repeat(32), 2, BranchPhase.CANCEL);
      CoordinatorToken t = CoordinatorToken.verify(token, kid -> kid.equals(keys.kid()) ? published : null, Instant.now());

      assertThat(t.audience()).isEqualTo("shop/payment");
      assertThat(t.branch()).isEqualTo(2);
      assertThat(t.phase()).isEqualTo(BranchPhase.CANCEL);
      assertThat(t.expiresAt() - t.issuedAt()).isEqualTo(SigningKeys.TOKEN_LIFE.toSeconds());
      assertThatThrownBy(() -> CoordinatorToken.verify(token, kid -> null, Instant.now()))
          .isInstanceOf(CoordinatorToken.InvalidTokenException.class);
      assertThatThrownBy(() -> CoordinatorToken.verify(token, kid -> published, Instant.now().plusSeconds(120)))
          .isInstanceOf(CoordinatorToken.InvalidTokenException.class).hasMessageContaining("expired");
    }
  }
}
