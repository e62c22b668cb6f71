package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery through the one watch stream, a control-plane restart, and a cold start from the snapshot. */
class DiscoveryIT {
  @TempDir Path data;
  @TempDir Path snapshots;
  private ControlPlaneFixture cp;
  private String key;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private static InstanceSpec spec(String id, int port, Integer lease) {
    return new InstanceSpec(id, "127.0.0.1", port, "v1", "zone-a", 100, null, Map.of(), null, lease);
  }

  private static List<String> ids(List<Instance> list) {
    return list.stream().map(Instance::id).toList();
  }

  @Test
  void firstLookup_listsThenFollowsChanges_onOneStream() {
    TenantryClient provider = cp.started(cp.client("shop", key, null));
    provider.register("payment", spec("p-1", 9001, 30));
    provider.register("user", spec("u-1", 9101, 30));
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(ids(consumer.instances("payment"))).containsExactly("p-1");
    assertThat(ids(consumer.instances("user"))).containsExactly("u-1");

    Registration p2 = provider.register("payment", spec("p-2", 9002, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(consumer.instances("payment")).equals(List.of("p-1", "p-2")));
    provider.register("user", spec("u-2", 9102, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.instances("user").size() == 2);
    p2.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(consumer.instances("payment")).equals(List.of("p-1")));
    assertThat(consumer.stats().relists()).isZero();
  }

  @Test
  void lookup_ofAnUnknownService_isEmpty_thenFilledByTheWatch() {
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(consumer.instances("nobody")).isEmpty();
    TenantryClient provider = cp.started(cp.client("shop", key, null));
    provider.register("nobody", spec("n-1", 9201, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.instances("nobody").size() == 1);
  }

  @Test
  void serverRestart_lastStateKeepsServing_thenChangesAfterItArrive() {
    TenantryClient provider = cp.started(cp.client("shop", key, null));
    provider.register("payment", spec("p-1", 9001, 3));
    provider.register("payment", spec("p-2", 9002, 3));
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(consumer.instances("payment")).hasSize(2);

    cp.stop();
    long t0 = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(ids(consumer.instances("payment"))).containsExactly("p-1", "p-2");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500)); // warm: no network

    cp.startAgain();
    // the provider registers again by itself; the consumer relists and keeps both throughout
    await().atMost(Duration.ofSeconds(15)).until(() -> cp.listedIds("shop", "payment").size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.stats().relists() >= 1);
    assertThat(consumer.instances("payment")).hasSize(2);

    provider.register("payment", spec("p-3", 9003, 3));
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(consumer.instances("payment")).equals(List.of("p-1", "p-2",
        "p-3")));
  }

  @Test
  void emptyPushProtection_holdsInstancesAfterARestartUntilTheyComeBack() {
    // registered without heartbeats, so nothing re-registers them after the restart until the test does
    cp.registerRaw("shop", "payment", spec("p-1", 9001, 600));
    cp.registerRaw("shop", "payment", spec("p-2", 9002, 600));
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(consumer.instances("payment")).hasSize(2);

    cp.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.stats().protectionEpisodes() == 1);
    assertThat(consumer.stats().servicesProtected()).isEqualTo(1);
    assertThat(ids(consumer.instances("payment"))).containsExactly("p-1", "p-2");

    cp.registerRaw("shop", "payment", spec("p-1", 9001, 600));
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.stats().servicesProtected() == 0);
    assertThat(ids(consumer.instances("payment"))).containsExactly("p-1");
  }

  @Test
  void emptyPushProtection_holdsABurstOfLeaseExpiries() {
    // two instances whose leases lapse (no heartbeats); too few for the server's self-preservation
    cp.registerRaw("shop", "payment", spec("p-1", 9001, 1));
    cp.registerRaw("shop", "payment", spec("p-2", 9002, 1));
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(consumer.instances("payment")).hasSize(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.listedIds("shop", "payment").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.stats().protectionEpisodes() == 1);
    assertThat(consumer.instances("payment")).isNotEmpty();

    TenantryClient provider = cp.started(cp.client("shop", key, null));
    provider.register("payment", spec("p-3", 9003, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(consumer.instances("payment")).equals(List.of("p-3")));
    assertThat(consumer.stats().servicesProtected()).isZero();
  }

  @Test
  void severalServers_anUnreachableOneIsSkipped() throws Exception {
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    TenantryClient client = cp.started(TenantryClient.newBuilder()
        .servers("http://127.0.0.1:" + dead + "," + cp.baseUri()).namespace("shop").apiKey(key)
        .snapshotDirectory(null).shutdownHook(false));
    Registration reg = client.register("payment", spec("p-1", 9001, 30));
    assertThat(reg.registered()).isTrue();
    assertThat(ids(client.instances("payment"))).containsExactly("p-1");
  }

  @Test
  void protectionDisabled_appliesTheEmptyList() {
    cp.registerRaw("shop", "payment", spec("p-1", 9001, 600));
    TenantryClient consumer = cp.started(cp.client("shop", key, null).protectThreshold(0));
    assertThat(consumer.instances("payment")).hasSize(1);
    cp.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.instances("payment").isEmpty());
    assertThat(consumer.stats().protectionEpisodes()).isZero();
  }

  @Test
  void coldStart_fromTheSnapshot_withTheServerDown_servesAtOnce() {
    TenantryClient provider = cp.started(cp.client("shop", key, null));
    provider.register("payment", spec("p-1", 9001, 30));
    TenantryClient first = cp.started(cp.client("shop", key, snapshots));
    assertThat(first.instances("payment")).hasSize(1);
    assertThat(first.tenant("acme")).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> first.stats().snapshotWrites() >= 1);
    first.close();
    cp.stop();

    long t0 = System.nanoTime();
    TenantryClient cold = cp.started(cp.client("shop", key, snapshots));
    List<Instance> served = cold.instances("payment");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(ids(served)).containsExactly("p-1");
    assertThat(served.get(0).status()).isEqualTo(InstanceStatus.UP);
    assertThat(took).isLessThan(Duration.ofMillis(1000)); // no waiting for a timeout first
    cp.startAgain(); // so that close() of the provider can deregister
  }

  @Test
  void tenants_areWatched() {
    TenantryClient consumer = cp.started(cp.client("shop", key, null));
    assertThat(consumer.tenant("acme")).isEmpty();
    cp.tenant("shop", "acme", "siloed", "active");
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.tenant("acme").isPresent());
    assertThat(consumer.tenant("acme").get().siloed()).isTrue();
  }
}
