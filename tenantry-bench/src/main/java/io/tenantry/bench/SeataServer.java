package io.tenantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Seata's transaction coordinator ({@code io.seata:seata-server:2.0.0}, its jar and dependencies in one
 * directory, bench/peers/seata/server) as a process, logging at WARN, with a fresh session store: the peer of the
 * transaction benchmark. Its console (HTTP) listens on 127.0.0.1; its transaction port on every interface, since
 * Seata 2.0.0 has no setting for the address it binds (its drivers connect to 127.0.0.1 only). Stateless.
 */
final class SeataServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private SeataServer() {}

  /** A started server and the port its clients connect to. */
  record Started(ServerProcess process, int servicePort) {}

  /**
   * Seata with the store given by {@code storeSettings} (Spring properties without the {@code -D}, e.g.
   * {@code seata.store.mode=file}); ready once its console answers. Seata's own command line takes only its few
   * flags (JCommander refuses Spring's {@code --key=value}), so every setting is a system property.
   */
  static Started start(Path lib, Path work, String name, List<String> storeSettings, List<String> jvmOptions)
      throws IOException, InterruptedException {
    int console = ServerProcess.freePort();
    int service = ServerProcess.freePort();
    Path data = Files.createTempDirectory(work, "seata-data-");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    List<String> settings = new ArrayList<>(List.of("server.address=127.0.0.1", "server.port=" + console,
        "seata.server.service-port=" + service, "seata.store.file.dir=" + data.resolve("sessionStore"),
        "logging.level.root=WARN", "logging.file.path=" + work.resolve("logs").resolve(name)));
    settings.addAll(storeSettings);
    settings.forEach(s -> cmd.add("-D" + s));
    cmd.addAll(List.of("-cp", lib.resolve("*").toString(), "io.seata.server.ServerApplication"));
    // the console's page answers once Spring is up (its /health wants a login); the driver waits for the
    // transaction port itself
    return new Started(ServerProcess.start(name, cmd, console, "/index.html", work.resolve("logs"), START_TIMEOUT),
        service);
  }
}
