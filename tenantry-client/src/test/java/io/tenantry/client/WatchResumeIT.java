package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reopening the one stream for a new subscription resumes from the stream's revision; when the
 * control plane no longer holds it (410 revision-gone) the client lists everything again and loses nothing.
 */
class WatchResumeIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data, b -> b.watchHistory(2));
    key = cp.namespace("shop", "service");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private static InstanceSpec spec(String id) {
    return new InstanceSpec(id, "127.0.0.1", 9001, null, null, null, null, Map.of(), null, 600);
  }

  private static List<String> ids(List<Instance> list) {
    return list.stream().map(Instance::id).toList();
  }

  @Test
  void newSubscription_afterTheHistoryMovedOn_relistsAndKeepsEverything() {
    cp.registerRaw("shop", "payment", spec("p-1"));
    cp.registerRaw("shop", "user", spec("u-1"));
    TenantryClient client = cp.started(cp.client("shop", key, null));
    assertThat(ids(client.instances("payment"))).containsExactly("p-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.stats().watchConnects() >= 2);
    long relistsBefore = client.stats().relists();

    // changes the client's stream does not carry push its revision out of the server's short history
    for (int i = 0; i < 5; i++) {
      cp.registerRaw("shop", "other", spec("o-" + i));
    }
    assertThat(ids(client.instances("user"))).containsExactly("u-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.stats().relists() > relistsBefore);

    cp.registerRaw("shop", "payment", spec("p-2"));
    cp.registerRaw("shop", "user", spec("u-2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> ids(client.instances("payment")).equals(List.of("p-1", "p-2"))
        && ids(client.instances("user")).equals(List.of("u-1", "u-2")));
  }
}
