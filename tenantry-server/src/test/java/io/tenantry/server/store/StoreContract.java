package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ApiKey;
import io.tenantry.api.Isolation;
import io.tenantry.api.Namespace;
import io.tenantry.api.Role;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the storage SPI, run against every implementation (H2 and PostgreSQL). Each
 * subclass hands out a fresh, empty store per test and may reopen it on the same data.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");
  static final String HASH = "a".repeat(64);

  Store store;

  /** A new store over fresh, empty data. */
  abstract Store openFresh();

  /** The same data as the store last opened by {@link #openFresh}, opened again. */
  abstract Store reopen();

  /** Removes the data (schema, files) after a test. */
  void cleanUp() {}

  @BeforeEach
  void open() {
    store = openFresh();
  }

  @AfterEach
  void close() {
    store.close();
    cleanUp();
  }

  static Namespace ns(String name) {
    return new Namespace(name, "the " + name + " namespace", T0, 1);
  }

  static Tenant tenant(String ns, String id) {
    return new Tenant(ns, id, "premium", TenantStatus.ACTIVE, Isolation.SILOED, Map.of("region", "eu", "plan", "ö✓"), 7);
  }

  static StoredApiKey key(String id, String ns, Role role) {
    return new StoredApiKey(new ApiKey(id, ns, "key-" + id.toLowerCase(), role, T0, false), HASH);
  }

  @Test
  void namespace_roundTrips() {
    assertThat(store.namespaces().insert(ns("shop"))).isTrue();

    Namespace got = store.namespaces().get("shop").orElseThrow();
    assertThat(got.name()).isEqualTo("shop");
    assertThat(got.description()).isEqualTo("the shop namespace");
    assertThat(got.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
    assertThat(got.revision()).isEqualTo(1);
  }

  @Test
  void namespace_insertTwiceIsRefused() {
    assertThat(store.namespaces().insert(ns("shop"))).isTrue();
    assertThat(store.namespaces().insert(ns("shop"))).isFalse();
  }

  @Test
  void namespace_updateAndListOrderedByName() {
    store.namespaces().insert(ns("b"));
    store.namespaces().insert(ns("a"));

    assertThat(store.namespaces().update(new Namespace("a", "changed", T0, 9))).isTrue();
    assertThat(store.namespaces().update(new Namespace("zz", "none", T0, 9))).isFalse();

    assertThat(store.namespaces().list()).extracting(Namespace::name).containsExactly("a", "b");
    assertThat(store.namespaces().get("a").orElseThrow().description()).isEqualTo("changed");
    assertThat(store.namespaces().get("a").orElseThrow().revision()).isEqualTo(9);
    assertThat(store.namespaces().get("missing")).isEmpty();
  }

  @Test
  void namespace_deleteTakesTenantsAndKeysAlong() {
    store.namespaces().insert(ns("a"));
    store.namespaces().insert(ns("b"));
    store.tenants().insert(tenant("a", "acme"));
    store.tenants().insert(tenant("b", "acme"));
    store.apiKeys().insert(key("ka", "a", Role.SERVICE));
    store.apiKeys().insert(key("kb", "b", Role.SERVICE));

    assertThat(store.namespaces().delete("a")).isTrue();
    assertThat(store.namespaces().delete("a")).isFalse();

    assertThat(store.tenants().list("a")).isEmpty();
    assertThat(store.apiKeys().get("ka")).isEmpty();
    assertThat(store.tenants().get("b", "acme")).isPresent();
    assertThat(store.apiKeys().get("kb")).isPresent();
  }

  @Test
  void tenant_roundTripsWithLabels() {
    store.namespaces().insert(ns("shop"));
    Tenant t = tenant("shop", "acme");

    assertThat(store.tenants().insert(t)).isTrue();
    assertThat(store.tenants().insert(t)).isFalse();

    assertThat(store.tenants().get("shop", "acme")).contains(t);
    assertThat(store.tenants().get("other", "acme")).isEmpty();
  }

  @Test
  void tenant_updateDeleteAndListPerNamespace() {
    store.namespaces().insert(ns("a"));
    store.namespaces().insert(ns("b"));
    store.tenants().insert(tenant("a", "zeta"));
    store.tenants().insert(tenant("a", "alpha"));
    store.tenants().insert(tenant("b", "beta"));

    Tenant suspended = new Tenant("a", "zeta", "free", TenantStatus.SUSPENDED, Isolation.POOLED, Map.of(), 12);
    assertThat(store.tenants().update(suspended)).isTrue();
    assertThat(store.tenants().update(tenant("a", "nobody"))).isFalse();

    assertThat(store.tenants().list("a")).extracting(Tenant::id).containsExactly("alpha", "zeta");
    assertThat(store.tenants().get("a", "zeta")).contains(suspended);

    assertThat(store.tenants().delete("a", "zeta")).isTrue();
    assertThat(store.tenants().delete("a", "zeta")).isFalse();
    assertThat(store.tenants().list("a")).extracting(Tenant::id).containsExactly("alpha");
    assertThat(store.tenants().list("b")).extracting(Tenant::id).containsExactly("beta");
  }

  @Test
  void tenant_ofMissingNamespaceIsRefused() {
    assertThatThrownBy(() -> store.tenants().insert(tenant("nowhere", "acme"))).isInstanceOf(StoreException.class);
  }

  @Test
  void apiKey_roundTripsAndRevokes() {
    store.namespaces().insert(ns("shop"));
    StoredApiKey k = key("K1", "shop", Role.OPERATOR);

    assertThat(store.apiKeys().insert(k)).isTrue();
    assertThat(store.apiKeys().insert(k)).isFalse();
    assertThat(store.apiKeys().get("K1").orElseThrow().key().role()).isEqualTo(Role.OPERATOR);
    assertThat(store.apiKeys().get("K1").orElseThrow().secretHash()).isEqualTo(HASH);

    assertThat(store.apiKeys().revoke("other", "K1")).isFalse();
    assertThat(store.apiKeys().revoke("shop", "K1")).isTrue();
    assertThat(store.apiKeys().revoke("shop", "K1")).isFalse();
    assertThat(store.apiKeys().get("K1").orElseThrow().key().revoked()).isTrue();
    assertThat(store.apiKeys().listActive()).isEmpty();
    assertThat(store.apiKeys().list("shop")).extracting(s -> s.key().id()).containsExactly("K1");
  }

  @Test
  void apiKey_platformAdminHasNoNamespace() {
    assertThat(store.apiKeys().hasPlatformAdmin()).isFalse();

    store.apiKeys().insert(key("admin", null, Role.PLATFORM_ADMIN));

    assertThat(store.apiKeys().hasPlatformAdmin()).isTrue();
    assertThat(store.apiKeys().get("admin").orElseThrow().key().namespace()).isNull();
    assertThat(store.apiKeys().listActive()).extracting(s -> s.key().id()).containsExactly("admin");
  }

  @Test
  void revisions_blocksNeverOverlapUnderConcurrency() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(pool.submit(() -> starts.add(store.revisions().reserve(10))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(starts).hasSize(40).doesNotHaveDuplicates().allSatisfy(s -> assertThat((s - 1) % 10).isZero());
    assertThat(starts.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(1);
    assertThat(starts.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(391);
  }

  @Test
  void revisions_keepIncreasingAfterReopen() {
    long first = store.revisions().reserve(100);
    store.namespaces().insert(ns("kept"));
    store.close();

    store = reopen();

    assertThat(store.revisions().reserve(100)).isGreaterThan(first + 99);
    assertThat(store.namespaces().get("kept")).isPresent();
  }

  @Test
  void revisions_refuseEmptyBlock() {
    assertThatThrownBy(() -> store.revisions().reserve(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void healthy_whileOpen() {
    assertThat(store.healthy()).isTrue();
  }
}
