package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.demo.DemoMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service started as the launcher starts it ({@code --exit-with-parent}) exits by itself when its
 * stdin closes, as it does when the launcher dies: a killed launcher leaves no process behind.
 */
class ParentWatchIT {
  private Process process;

  @AfterEach
  void cleanUp() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void service_exitsWhenItsStdinCloses(@TempDir Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DemoMain.class.getName(), "service", "user", "--id=user-9",
        // nothing listens there: the instance serves anyway and the SDK keeps trying to register it
        "--servers=http://127.0.0.1:9", "--snapshot-dir=" + dir, "--exit-with-parent"))
        .redirectErrorStream(true);
    pb.environment().put(ServiceCommand.API_KEY_ENV, "tnt_test_key");
    process = pb.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)).lines().forEach(output::add));
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> output.stream().anyMatch(l -> l.contains("user-9 serving user")));
    assertThat(process.isAlive()).isTrue();

    process.getOutputStream().close();

    await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive());
    assertThat(output).anyMatch(l -> l.contains("stdin closed, exiting"));
  }
}
