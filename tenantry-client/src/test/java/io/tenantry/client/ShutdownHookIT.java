package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM terminated with SIGTERM leaves gracefully: DRAINING, then deregistered, before its lease (600 s) could lapse. */
class ShutdownHookIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private Process child;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
  }

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    cp.close();
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void sigterm_drainsAndDeregisters() throws Exception {
    String key = cp.namespace("shop", "service");
    TenantryClient watcher = cp.started(cp.client("shop", key, null));
    CopyOnWriteArrayList<List<Instance>> seen = new CopyOnWriteArrayList<>();
    watcher.subscribe("order", seen::add);
    assertThat(watcher.instances("order")).isEmpty();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ShutdownHookMain.class.getName(), cp.baseUri().toString(), key).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("REGISTERED")) {
      // skip the child's log lines
    }
    assertThat(line).isEqualTo("REGISTERED");
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.instances("order").size() == 1);

    child.destroy(); // SIGTERM: shutdown hooks run
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(cp.listedIds("shop", "order")).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.instances("order").isEmpty());
    assertThat(seen).anySatisfy(list -> assertThat(list).singleElement()
        .satisfies(i -> assertThat(i.status()).isEqualTo(InstanceStatus.DRAINING)));
  }
}
