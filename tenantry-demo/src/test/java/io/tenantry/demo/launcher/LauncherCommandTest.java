package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.demo.Options;
import io.tenantry.demo.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherCommandTest {
  @TempDir
  Path dir;

  private static LauncherConfig config(String... args) {
    return LauncherCommand.config(Options.parse(args, LauncherCommand.OPTIONS));
  }

  @Test
  void runDir_ofAnEarlierRun_isRefusedWithWhatToDo() throws Exception {
    Files.createDirectories(dir.resolve("data"));

    assertThatThrownBy(() -> config("--run-dir=" + dir))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("already holds an earlier run's control plane")
        .hasMessageContaining("delete");
  }

  @Test
  void newRunDir_isAccepted() {
    assertThat(config("--run-dir=" + dir.resolve("fresh")).runDirectory()).isEqualTo(dir.resolve("fresh"));
  }

  @Test
  void unknownKillTarget_isRefused() {
    assertThatThrownBy(() -> config("--kill=payment-9")).isInstanceOf(UsageException.class)
        .hasMessageContaining("payment-1");
  }
}
