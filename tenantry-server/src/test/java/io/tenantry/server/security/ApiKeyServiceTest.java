package io.tenantry.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.CreatedApiKey;
import io.tenantry.api.Namespace;
import io.tenantry.api.Role;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyServiceTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dataDir;
  Store store;
  ApiKeyService keys;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreSettings.h2File(dataDir));
    store.namespaces().insert(new Namespace("shop", "", CLOCK.instant(), 1));
    keys = newService();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ApiKeyService newService() {
    ApiKeyService s = new ApiKeyService(store.apiKeys(), ns -> store.namespaces().get(ns).isPresent(), CLOCK);
    s.start();
    return s;
  }

  @Test
  void createdKey_hasTheTokenFormat_andAuthenticatesAsItsRole() {
    CreatedApiKey created = keys.create("shop", new ApiKeySpec("order", Role.OPERATOR));

    assertThat(created.secret()).matches("tnt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    assertThat(created.key().createdAt()).isEqualTo(CLOCK.instant());
    assertThat(keys.authenticate(created.secret()))
        .contains(new Principal(created.key().id(), Role.OPERATOR, "shop"));
    assertThat(store.apiKeys().get(created.key().id()).orElseThrow().secretHash())
        .isEqualTo(Tokens.hash(created.secret())).doesNotContain(created.secret().substring(22));
  }

  @Test
  void authenticate_refusesNearMissesAndJunk() {
    String token = keys.create("shop", new ApiKeySpec("order", null)).secret();

    assertThat(keys.authenticate(token + "x")).isEmpty();
    assertThat(keys.authenticate(token.substring(0, token.length() - 1))).isEmpty();
    assertThat(keys.authenticate("tnt__")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(keys.authenticate("x".repeat(10_000))).isEmpty();
  }

  @Test
  void revoke_takesEffectAtOnce_andSurvivesARestart() {
    CreatedApiKey created = keys.create("shop", new ApiKeySpec("order", null));

    keys.revoke("shop", created.key().id());

    assertThat(keys.authenticate(created.secret())).isEmpty();
    assertThat(newService().authenticate(created.secret())).isEmpty();
    assertThatThrownBy(() -> keys.revoke("shop", created.key().id())).isInstanceOf(ApiException.class);
  }

  @Test
  void keysOfAMissingNamespace_areRefused() {
    assertThatThrownBy(() -> keys.create("nowhere", new ApiKeySpec("k", null)))
        .isInstanceOf(ApiException.class).hasMessageContaining("namespace 'nowhere'");
  }

  @Test
  void bootstrap_generatesOnce_andTheKeyWorksAfterARestart() {
    String generated = keys.bootstrapAdmin(null).orElseThrow();

    assertThat(generated).startsWith("tnt_admin_");
    assertThat(keys.authenticate(generated)).hasValueSatisfying(p -> assertThat(p.platformAdmin()).isTrue());
    ApiKeyService restarted = newService();
    assertThat(restarted.bootstrapAdmin(null)).isEmpty();
    assertThat(restarted.authenticate(generated)).isPresent();
  }

  @Test
  void bootstrap_takesAConfiguredKey_evenOneThatLooksLikeAToken() {
    String configured = "tnt_custom_" + "k".repeat(20);

    assertThat(keys.bootstrapAdmin(configured)).isEmpty();

    assertThat(keys.authenticate(configured)).hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.PLATFORM_ADMIN));
    assertThat(newService().authenticate(configured)).isPresent();
  }

  @Test
  void bootstrap_refusesABadConfiguredKey() {
    assertThatThrownBy(() -> keys.bootstrapAdmin("short")).hasMessageContaining("20 to 200");
    assertThatThrownBy(() -> keys.bootstrapAdmin("has spaces in it, not allowed")).hasMessageContaining("admin.key");
  }

  @Test
  void forgetNamespace_dropsItsKeysFromMemory() {
    String token = keys.create("shop", new ApiKeySpec("order", null)).secret();

    keys.forgetNamespace("shop");

    assertThat(keys.authenticate(token)).isEmpty();
  }
}
