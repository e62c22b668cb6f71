package io.tenantry.client.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.bucket4j.TimeMeter;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.RequestHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode on the real Redis (127.0.0.1:6379): two limiters stand for two instances of one
 * service. Each test uses a namespace of its own, so buckets of earlier runs do not interfere.
 */
class ClusterLimitsIT {
  private static final URI REDIS = URI.create("redis://127.0.0.1:6379");
  private final String namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);

  private Policy clusterLimit(int rate) {
    return LimitFixtures.policy(namespace, PolicyKind.RATE_LIMIT, "order-limits", "order", false,
        "{'mode':'cluster','limits':[{'name':'per-tenant','rate':" + rate + ",'period':'1h'}]}", 1);
  }

  private static DoorLimiter instance(RemoteBuckets backend, int upInstances, Policy... policies) {
    DoorLimiter limiter = new DoorLimiter("order",
        new LimitEnvironment(() -> upInstances, backend, TimeMeter.SYSTEM_NANOTIME, LimitEnvironment.DEFAULT_MAX_KEYS));
    limiter.update(List.of(policies));
    return limiter;
  }

  private static int admitted(DoorLimiter limiter, int n, String tenant) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      if (limiter.check(tenant, "free", null, "GET", "/orders", null, RequestHeaders.none()) == null) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void twoInstancesShareOneLimit_exactlyWhenEveryCallSyncs() {
    try (RedisBuckets a = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start();
        RedisBuckets b = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start()) {
      DoorLimiter one = instance(a, 2, clusterLimit(20));
      DoorLimiter two = instance(b, 2, clusterLimit(20));

      int ok = 0;
      for (int i = 0; i < 30; i++) {
        ok += admitted(one, 1, "initech") + admitted(two, 1, "initech");
      }

      assertThat(ok).isEqualTo(20);
      assertThat(one.stats().get(0).fallbacks()).isZero();
      assertThat(admitted(one, 5, "acme")).as("another tenant, another bucket").isEqualTo(5);
    }
  }

  @Test
  void twoInstancesShareOneLimit_aboutTheLimitWhenDelaying() {
    try (RedisBuckets a = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.DELAYING).start();
        RedisBuckets b = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.DELAYING).start()) {
      DoorLimiter one = instance(a, 2, clusterLimit(200));
      DoorLimiter two = instance(b, 2, clusterLimit(200));

      int ok = 0;
      for (int i = 0; i < 300; i++) {
        ok += admitted(one, 1, "initech") + admitted(two, 1, "initech");
      }

      // Each instance may consume up to capacity/20 = 10 tokens ahead of its last sync.
      assertThat(ok).isBetween(200, 220);
    }
  }

  @Test
  void aNewPolicyVersionConvertsTheSharedBucketWithoutRefillingIt() {
    try (RedisBuckets a = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start();
        RedisBuckets b = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start()) {
      DoorLimiter one = instance(a, 2, clusterLimit(10));
      DoorLimiter two = instance(b, 2, clusterLimit(10));
      assertThat(admitted(one, 10, "initech")).isEqualTo(10);

      Policy v2 = LimitFixtures.policy(namespace, PolicyKind.RATE_LIMIT, "order-limits", "order", false,
          "{'mode':'cluster','limits':[{'name':'per-tenant','rate':30,'period':'1h'}]}", 2);
      one.update(List.of(v2));
      two.update(List.of(v2));

      assertThat(admitted(two, 5, "initech")).as("spent tokens stay spent").isZero();
      assertThat(admitted(one, 40, "globex")).as("new keys get the new size").isEqualTo(30);
    }
  }

  @Test
  void quotasAreCountedClusterWideWhenABackendExists() {
    Policy quota = LimitFixtures.policy(namespace, PolicyKind.QUOTA, "plans", "order", false,
        "{'quotas':[{'name':'daily','limit':6}]}", 1);
    try (RedisBuckets a = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start();
        RedisBuckets b = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start()) {
      DoorLimiter one = instance(a, 2, quota);
      DoorLimiter two = instance(b, 2, quota);

      assertThat(admitted(one, 10, "initech")).isEqualTo(6);
      assertThat(admitted(two, 10, "initech")).isZero();
    }
  }

  @Test
  void unreachableBackend_eachInstanceUsesItsLocalShare_neverNoLimit() {
    // Port 1: nothing listens there.
    try (RedisBuckets dead = new RedisBuckets(
        ClusterBackend.redis(URI.create("redis://127.0.0.1:1")).withTimeout(Duration.ofMillis(100)),
        RedisBuckets.Sync.EVERY_CALL).start()) {
      DoorLimiter one = instance(dead, 2, clusterLimit(20));

      assertThat(admitted(one, 30, "initech")).as("half of 20, as two instances are up").isEqualTo(10);
      assertThat(one.stats().get(0).fallbacks()).isEqualTo(30);
      assertThat(dead.outages()).isEqualTo(1);
      assertThat(dead.available()).isFalse();
    }
  }

  @Test
  void backendLost_fallsBackToTheLocalShare_thenReturnsToClusterMode() throws Exception {
    try (TcpRelay relay = new TcpRelay(6379).start();
        RedisBuckets backend = new RedisBuckets(
            ClusterBackend.redis(URI.create("redis://127.0.0.1:" + relay.port())).withTimeout(Duration.ofMillis(200)),
            RedisBuckets.Sync.EVERY_CALL).start();
        RedisBuckets other = new RedisBuckets(ClusterBackend.redis(REDIS), RedisBuckets.Sync.EVERY_CALL).start()) {
      DoorLimiter one = instance(backend, 2, clusterLimit(20));
      DoorLimiter two = instance(other, 2, clusterLimit(20));
      assertThat(backend.available()).isTrue();
      assertThat(admitted(two, 15, "initech")).isEqualTo(15);

      relay.cut();
      // The first call may fail on the broken connection; all are decided locally, on half of 20.
      assertThat(admitted(one, 30, "initech")).isEqualTo(10);
      assertThat(backend.available()).isFalse();
      assertThat(backend.outages()).isEqualTo(1);
      assertThat(one.stats().get(0).fallbacks()).isEqualTo(30);

      relay.restore();
      await().atMost(Duration.ofSeconds(10)).until(backend::available);
      assertThat(admitted(one, 10, "initech")).as("the shared bucket again: 20 - 15 left 5").isEqualTo(5);
      assertThat(one.stats().get(0).fallbacks()).isEqualTo(30);
    }
  }
}
