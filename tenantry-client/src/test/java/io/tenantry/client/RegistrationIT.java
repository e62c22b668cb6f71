package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration against the real control plane: heartbeats, graceful leave, re-registration after a restart. */
class RegistrationIT {
  @TempDir Path data;
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

  private static InstanceSpec spec(String id, int leaseSeconds) {
    return new InstanceSpec(id, "127.0.0.1", 8081, "v1", "zone-a", 100, null, Map.of("k", "v"), null, leaseSeconds);
  }

  @Test
  void register_heartbeatsKeepTheLeaseAlive() {
    TenantryClient client = cp.started(cp.client("shop", key, null));
    Registration reg = client.register("order", spec("order-1", 2));
    assertThat(reg.registered()).isTrue();
    assertThat(reg.instance().revision()).isPositive();
    assertThat(reg.instance().leaseSeconds()).isEqualTo(2);
    // three lease lengths: without heartbeats the lease would have lapsed
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
        .until(() -> cp.listedIds("shop", "order").equals(List.of("order-1")));
    assertThat(client.stats().heartbeatFailures()).isZero();
    assertThat(client.stats().watchConnects()).isEqualTo(1); // the stream outlives the 5 s request timeout
  }

  @Test
  void close_drainsFirst_thenDeregisters_andIsIdempotent() {
    TenantryClient watcher = cp.started(cp.client("shop", key, null));
    TenantryClient client = cp.started(cp.client("shop", key, null));
    Registration reg = client.register("order", spec("order-1", 30));
    CopyOnWriteArrayList<List<Instance>> seen = new CopyOnWriteArrayList<>();
    watcher.subscribe("order", seen::add);
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.instances("order").size() == 1);
    reg.close();
    reg.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.instances("order").isEmpty());
    assertThat(seen).anySatisfy(list -> assertThat(list).singleElement()
        .satisfies(i -> assertThat(i.status()).isEqualTo(InstanceStatus.DRAINING)));
    assertThat(cp.listedIds("shop", "order")).isEmpty();
    assertThat(watcher.stats().protectionEpisodes()).isZero(); // a graceful leave is never held back
  }

  @Test
  void clientClose_deregistersEverything() {
    TenantryClient client = cp.started(cp.client("shop", key, null));
    client.register("order", spec("order-1", 30));
    client.register("order", spec("order-2", 30));
    assertThat(cp.listedIds("shop", "order")).containsExactlyInAnyOrder("order-1", "order-2");
    client.close();
    assertThat(cp.listedIds("shop", "order")).isEmpty();
  }

  @Test
  void serverRestart_theClientRegistersAgainByItself() {
    TenantryClient client = cp.started(cp.client("shop", key, null));
    Registration reg = client.register("order", spec("order-1", 3));
    long before = client.stats().reregistrations();
    cp.restart(); // forgets every instance (the registry is in memory)
    // the client finds out on its next heartbeat and registers again; no fixed check of the empty listing in
    // between, since the client may already be back by the time it is read
    await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().reregistrations() > before);
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.listedIds("shop", "order").equals(List.of("order-1")));
    await().atMost(Duration.ofSeconds(5)).until(reg::registered);
  }

  @Test
  void registerWhileDown_isKeptAndTakesWhenTheServerIsBack() {
    TenantryClient client = cp.started(cp.client("shop", key, null));
    cp.stop();
    Registration reg = client.register("order", spec("order-1", 3));
    assertThat(reg.registered()).isFalse();
    cp.startAgain();
    await().atMost(Duration.ofSeconds(15)).until(() -> cp.listedIds("shop", "order").equals(List.of("order-1")));
    await().atMost(Duration.ofSeconds(5)).until(reg::registered);
  }

  @Test
  void refusedRegistration_throwsTheProblem() {
    TenantryClient viewer = cp.started(cp.client("shop", cp.key("shop", "viewer"), null));
    assertThatThrownBy(() -> viewer.register("order", spec("order-1", 30)))
        .isInstanceOfSatisfying(TenantryException.class, e -> assertThat(e.status()).isEqualTo(403));
    TenantryClient client = cp.started(cp.client("shop", key, null));
    client.register("order", spec("order-1", 30));
    assertThatThrownBy(() -> client.register("order", spec("order-1", 30)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
  }
}
