package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void defaults_whenNothingIsGiven() {
    ServerConfig c = ConfigLoader.load(List.of(), Map.of()).config();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(7070);
    assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    assertThat(c.storeUrl()).isNull();
    assertThat(c.adminKey()).isNull();
    assertThat(c.leaseDefault()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void laterSourcesWin_fileThenEnvironmentThenFlags() throws Exception {
    Path file = dir.resolve("tenantry.properties");
    Files.writeString(file, "server.port=1001\nserver.host=0.0.0.0\ndata.dir=/from/file\nregistry.reaper-interval=250ms\n");
    Map<String, String> env = Map.of("TENANTRY_CONFIG", file.toString(), "TENANTRY_SERVER_PORT", "1002",
        "TENANTRY_DATA_DIR", "/from/env", "UNRELATED", "x");

    ServerConfig c = ConfigLoader.load(List.of("--data-dir", "/from/flag", "--watch.bookmark-interval=2m"), env).config();

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(1002);
    assertThat(c.dataDir()).isEqualTo(Path.of("/from/flag"));
    assertThat(c.reaperInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.watchBookmarkInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigLoader.load(List.of("--port=1003", "--config", file.toString()), Map.of()).config().port()).isEqualTo(1003);
  }

  @Test
  void badInput_isRefusedWithWhatToDo() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--no-such-key=1"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--no-such-key").hasMessageContaining("--help");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--port=eighty"), Map.of()))
        .hasMessageContaining("server.port: 'eighty' (expected: an integer)");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--port=70000"), Map.of())).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--admin.key=short"), Map.of())).hasMessageContaining("20 to 200");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--store.url=mysql://x"), Map.of())).hasMessageContaining("jdbc:postgresql");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--registry.lease-min=2h"), Map.of())).hasMessageContaining("registry.lease-min");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("port=1"), Map.of())).hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--port"), Map.of())).hasMessageContaining("has no value");
    assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of("TENANTRY_SERVER_PORT", "-1")))
        .hasMessageContaining("environment variable TENANTRY_SERVER_PORT");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "server.prot=1\n");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--config=" + file), Map.of()))
        .hasMessageContaining("unknown key 'server.prot'").hasMessageContaining(file.toString());
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--config=" + dir.resolve("missing")), Map.of()))
        .hasMessageContaining("cannot read configuration file");
  }

  @Test
  void help_listsEveryKeyWithDefaultAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = Main.parse(new String[] {"--port=1", "--help"}, Map.of(), print(out), print(err));

    assertThat(code).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(ConfigKeys.ALL).allSatisfy(k -> assertThat(help).contains("--" + k.name() + "=").contains(k.envName()));
    assertThat(help).contains("(default: 7070;").contains("--help");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void badFlag_exitsTwoWithAMessage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = Main.parse(new String[] {"--prot=8080"}, Map.of(), print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tenantry: unknown flag --prot").contains("--help");
    assertThat(Main.parse(new String[] {"--port=1"}, Map.of(), print(out), print(err))).isEqualTo(-1);
  }

  @Test
  void helpDefaults_areTheBuilderDefaults() throws Exception {
    ServerConfig.Builder fromHelp = ServerConfig.newBuilder();
    ConfigKeys.ALL.stream().filter(k -> !k.defaultValue().isEmpty()).forEach(k -> k.apply().accept(fromHelp, k.defaultValue()));
    ServerConfig expected = ServerConfig.newBuilder().build();
    ServerConfig actual = fromHelp.build();

    for (java.lang.reflect.Method m : ServerConfig.class.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
          && m.getParameterCount() == 0 && !m.getName().equals("toBuilder") && !m.getName().equals("toString")) {
        assertThat(m.invoke(actual)).as(m.getName()).isEqualTo(m.invoke(expected));
      }
    }
  }

  @Test
  void exampleFile_listsEveryKey_andLoadsOnceUncommented() throws Exception {
    String example = Files.readString(Path.of("tenantry.properties.example"));
    assertThat(ConfigKeys.ALL).allSatisfy(k -> assertThat(example).contains("#" + k.name() + "="));
    Path file = dir.resolve("all.properties");
    Files.writeString(file, example.replaceAll("(?m)^#([a-z]+\\.[a-z.-]+=)", "$1"));

    assertThat(ConfigLoader.load(List.of("--config=" + file), Map.of()).config().port()).isEqualTo(7070);
  }

  @Test
  void secrets_neverAppearInTheTextForm() {
    ServerConfig c = ServerConfig.newBuilder().adminKey("a-very-secret-admin-key").storePassword("pw-secret").build();

    assertThat(c.toString()).doesNotContain("a-very-secret-admin-key").doesNotContain("pw-secret");
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }
}
