package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as a real process: --help, a bad flag, a start that prints the key once, a clean stop on SIGTERM. */
class MainIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir
  Path dataDir;

  @Test
  void help_exitsZeroAndListsTheKeys() throws Exception {
    Run run = run("--help");

    assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run.process.exitValue()).isZero();
    assertThat(String.join("\n", run.lines)).contains("--server.port=<int>").contains("TENANTRY_SERVER_PORT");
  }

  @Test
  void badFlag_exitsTwoSayingWhatToDo() throws Exception {
    Run run = run("--bogus=1");

    assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run.process.exitValue()).isEqualTo(2);
    assertThat(String.join("\n", run.lines)).contains("unknown flag --bogus").contains("--help");
  }

  @Test
  void start_printsTheGeneratedKeyOnce_andStopsCleanlyOnSigterm() throws Exception {
    Run first = run("--port=0", "--data-dir=" + dataDir);
    String url = first.awaitUrl();
    String out = String.join("\n", first.lines);
    assertThat(out).contains("shown ONLY THIS ONCE").containsPattern("tnt_admin_[A-Za-z0-9_-]{43}");
    assertThat(url).startsWith("http://127.0.0.1:");

    sigterm(first.process);
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process.exitValue()).as("exit code after SIGTERM").isEqualTo(143);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(String.join("\n", first.lines)).contains("control plane stopped"));

    Run second = run("--port=0", "--data-dir=" + dataDir);
    second.awaitUrl();
    assertThat(String.join("\n", second.lines)).doesNotContain("tnt_admin_");
    second.process.destroy();
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** A server process and the lines of its merged output, collected as they come. */
  record Run(Process process, List<String> lines) {
    String awaitUrl() {
      await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> LISTENING.matcher(l).find()));
      Matcher m = lines.stream().map(LISTENING::matcher).filter(Matcher::find).findFirst().orElseThrow();
      return m.group(1);
    }
  }

  /** SIGTERM through kill(1), as a service manager or Ctrl-C stops the server. */
  private static void sigterm(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static Run run(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TENANTRY_"));
    try {
      Process p = pb.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          r.lines().forEach(lines::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "test-process-output");
      reader.setDaemon(true);
      reader.start();
      return new Run(p, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
