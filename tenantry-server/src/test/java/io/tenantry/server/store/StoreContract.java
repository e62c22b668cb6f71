package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiKey;
import io.tenantry.api.Json;
import io.tenantry.api.Isolation;
import io.tenantry.api.Namespace;
import io.tenantry.api.Role;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
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

  static JsonNode json(String text) {
    try {
      return Json.newMapper().readTree(text.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Policy policy(String ns, PolicyKind kind, String name, String service, long version, String spec) {
    return new Policy(ns, kind, name, service, version % 2 == 0, "v" + version + " ö✓", json(spec), version,
        100 + version, "key-" + version, T0.plusSeconds(version));
  }

  static PolicyVersion written(PolicyAction action, Policy p) {
    return new PolicyVersion(action, null, p);
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
    assertThatThrownBy(() -> store.tenants().insert(tenant("nowhere", "acme"))).isInstanceOf(ParentGoneException.class);
  }

  @Test
  void policy_writeKeepsCurrentAndHistory() {
    store.namespaces().insert(ns("shop"));
    Policy v1 = policy("shop", PolicyKind.RATE_LIMIT, "flood", "order", 1, "{'limits':[{'name':'t','rate':5}]}");
    Policy v2 = policy("shop", PolicyKind.RATE_LIMIT, "flood", "order", 2, "{'limits':[{'name':'t','rate':7,'period':'1m'}]}");

    store.policies().append(written(PolicyAction.CREATED, v1));
    store.policies().append(written(PolicyAction.UPDATED, v2));
    store.policies().append(new PolicyVersion(PolicyAction.ROLLED_BACK, 1L,
        policy("shop", PolicyKind.RATE_LIMIT, "flood", "order", 3, "{'limits':[{'name':'t','rate':5}]}")));

    Policy current = store.policies().get("shop", PolicyKind.RATE_LIMIT, "flood").orElseThrow();
    assertThat(current.version()).isEqualTo(3);
    assertThat(current.spec()).isEqualTo(v1.spec());
    assertThat(current.dryRun()).isFalse();
    assertThat(current.updatedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(store.policies().version("shop", PolicyKind.RATE_LIMIT, "flood", 2)).contains(written(PolicyAction.UPDATED, v2));
    assertThat(store.policies().history("shop", PolicyKind.RATE_LIMIT, "flood", Long.MAX_VALUE, 10))
        .extracting(v -> v.action(), v -> v.restoredVersion(), v -> v.policy().version())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(PolicyAction.ROLLED_BACK, 1L, 3L),
            org.assertj.core.groups.Tuple.tuple(PolicyAction.UPDATED, null, 2L),
            org.assertj.core.groups.Tuple.tuple(PolicyAction.CREATED, null, 1L));
    assertThat(store.policies().history("shop", PolicyKind.RATE_LIMIT, "flood", 3, 1))
        .extracting(v -> v.policy().version()).containsExactly(2L);
    assertThat(store.policies().lastVersion("shop", PolicyKind.RATE_LIMIT, "flood")).isEqualTo(3);
    assertThat(store.policies().lastVersion("shop", PolicyKind.QUOTA, "flood")).isZero();
    assertThat(store.policies().get("shop", PolicyKind.QUOTA, "flood")).isEmpty();
  }

  @Test
  void policy_versionWrittenTwiceIsRefusedAndChangesNothing() {
    store.namespaces().insert(ns("shop"));
    Policy v1 = policy("shop", PolicyKind.ROUTE, "canary", "order", 1, "{'rules':[]}");
    store.policies().append(written(PolicyAction.CREATED, v1));

    Policy again = policy("shop", PolicyKind.ROUTE, "canary", "payment", 1, "{'rules':[]}");
    assertThatThrownBy(() -> store.policies().append(written(PolicyAction.UPDATED, again)))
        .isInstanceOf(StoreException.class);

    assertThat(store.policies().get("shop", PolicyKind.ROUTE, "canary")).contains(v1);
  }

  @Test
  void policy_deleteKeepsHistory() {
    store.namespaces().insert(ns("shop"));
    Policy v1 = policy("shop", PolicyKind.QUOTA, "daily", "*", 1, "{'quotas':[{'name':'d','limit':100}]}");
    store.policies().append(written(PolicyAction.CREATED, v1));

    store.policies().append(written(PolicyAction.DELETED,
        policy("shop", PolicyKind.QUOTA, "daily", "*", 2, "{'quotas':[{'name':'d','limit':100}]}")));

    assertThat(store.policies().get("shop", PolicyKind.QUOTA, "daily")).isEmpty();
    assertThat(store.policies().list("shop", null, null)).isEmpty();
    assertThat(store.policies().lastVersion("shop", PolicyKind.QUOTA, "daily")).isEqualTo(2);
    assertThat(store.policies().history("shop", PolicyKind.QUOTA, "daily", Long.MAX_VALUE, 10))
        .extracting(PolicyVersion::action).containsExactly(PolicyAction.DELETED, PolicyAction.CREATED);
  }

  @Test
  void policy_listFiltersByKindAndService() {
    store.namespaces().insert(ns("a"));
    store.namespaces().insert(ns("b"));
    store.policies().append(written(PolicyAction.CREATED, policy("a", PolicyKind.ROUTE, "r", "order", 1, "{}")));
    store.policies().append(written(PolicyAction.CREATED, policy("a", PolicyKind.RATE_LIMIT, "z", "order", 1, "{}")));
    store.policies().append(written(PolicyAction.CREATED, policy("a", PolicyKind.RATE_LIMIT, "b", "*", 1, "{}")));
    store.policies().append(written(PolicyAction.CREATED, policy("b", PolicyKind.RATE_LIMIT, "x", "order", 1, "{}")));

    assertThat(store.policies().list("a", null, null)).extracting(Policy::key)
        .containsExactly("rate-limit/b", "rate-limit/z", "route/r");
    assertThat(store.policies().list("a", PolicyKind.RATE_LIMIT, null)).extracting(Policy::key)
        .containsExactly("rate-limit/b", "rate-limit/z");
    assertThat(store.policies().list("a", null, "order")).extracting(Policy::key)
        .containsExactly("rate-limit/z", "route/r");
    assertThat(store.policies().list("a", PolicyKind.RATE_LIMIT, "*")).extracting(Policy::key)
        .containsExactly("rate-limit/b");
  }

  @Test
  void policy_ofMissingNamespaceIsRefused() {
    assertThatThrownBy(() -> store.policies().append(
        written(PolicyAction.CREATED, policy("nowhere", PolicyKind.ROUTE, "r", "order", 1, "{}"))))
        .isInstanceOf(ParentGoneException.class);
  }

  @Test
  void policy_namespaceDeleteTakesPoliciesAndHistoryAlong() {
    store.namespaces().insert(ns("a"));
    store.namespaces().insert(ns("b"));
    store.policies().append(written(PolicyAction.CREATED, policy("a", PolicyKind.ROUTE, "r", "order", 1, "{}")));
    store.policies().append(written(PolicyAction.CREATED, policy("b", PolicyKind.ROUTE, "r", "order", 1, "{}")));

    store.namespaces().delete("a");

    assertThat(store.policies().list("a", null, null)).isEmpty();
    assertThat(store.policies().lastVersion("a", PolicyKind.ROUTE, "r")).isZero();
    store.namespaces().insert(ns("a"));
    assertThat(store.policies().history("a", PolicyKind.ROUTE, "r", Long.MAX_VALUE, 10)).isEmpty();
    assertThat(store.policies().get("b", PolicyKind.ROUTE, "r")).isPresent();
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

  static StoredSpan span(String ns, String traceId, long receivedAt, String body) {
    return new StoredSpan(ns, traceId, receivedAt, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static List<String> bodies(List<StoredSpan> spans) {
    return spans.stream().map(s -> new String(s.span(), java.nio.charset.StandardCharsets.UTF_8)).toList();
  }

  @Test
  void spans_appendAndReadBackNewestWithinLimit_oldestFirst_afterReopen() {
    store.spans().append(List.of(span("shop", "0000000000000001", 1_000, "a"), span("shop", "0000000000000001", 1_000, "a"),
        span("blog", "00000000000000000000000000000002", 2_000, "b ö✓ \u0000")));
    store.spans().append(List.of(span("shop", "0000000000000003", 3_000, "c")));
    store.spans().append(List.of());
    store.close();

    store = reopen();

    assertThat(store.spans().count()).isEqualTo(4);
    List<StoredSpan> all = store.spans().recent(0, 10);
    assertThat(bodies(all)).containsExactly("a", "a", "b ö✓ \u0000", "c");
    assertThat(all.get(2).namespace()).isEqualTo("blog");
    assertThat(all.get(2).traceId()).isEqualTo("00000000000000000000000000000002");
    assertThat(all.get(2).receivedAt()).isEqualTo(2_000);
    assertThat(bodies(store.spans().recent(0, 2))).containsExactly("b ö✓ \u0000", "c");
    assertThat(bodies(store.spans().recent(2_500, 10))).containsExactly("c");
    assertThatThrownBy(() -> store.spans().recent(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spans_deletedByAge_bySize_andWithTheirNamespace() {
    for (int i = 1; i <= 10; i++) {
      store.spans().append(List.of(span(i % 2 == 0 ? "even" : "odd", "000000000000000" + (i % 10), i * 100L, "s" + i)));
    }

    assertThat(store.spans().deleteReceivedBefore(300)).isEqualTo(2);
    assertThat(store.spans().trimTo(5)).isEqualTo(3);
    assertThat(bodies(store.spans().recent(0, 100))).containsExactly("s6", "s7", "s8", "s9", "s10");
    assertThat(store.spans().trimTo(100)).isZero();
    assertThat(store.spans().deleteNamespace("even")).isEqualTo(3);
    assertThat(bodies(store.spans().recent(0, 100))).containsExactly("s7", "s9");
    assertThat(store.spans().trimTo(0)).isEqualTo(2);
    assertThat(store.spans().count()).isZero();
  }

  @Test
  void spans_appendManyInOneBatch() {
    List<StoredSpan> batch = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      batch.add(span("shop", String.format("%016x", i / 3), 1_000 + i, "x".repeat(i % 50)));
    }
    store.spans().append(batch);

    assertThat(store.spans().count()).isEqualTo(5_000);
    assertThat(store.spans().recent(1_000, 1)).extracting(StoredSpan::receivedAt).containsExactly(5_999L);
  }
}
