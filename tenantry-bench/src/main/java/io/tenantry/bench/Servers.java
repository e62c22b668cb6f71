package io.tenantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts each system under test as its own process, bound to 127.0.0.1 on a free port, with the same
 * JVM options for both Java servers. Immutable.
 */
final class Servers {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path work;
  private final List<String> jvmOptions;
  private final Path tenantryJar;
  private final Path eurekaJar;
  private final Path etcd;

  Servers(Path work, List<String> jvmOptions, Path tenantryJar, Path eurekaJar, Path etcd) {
    this.work = work;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.tenantryJar = tenantryJar;
    this.eurekaJar = eurekaJar;
    this.etcd = etcd;
  }

  /** The Tenantry control plane on its embedded store, in a fresh data directory. */
  ServerProcess tenantry(String name, String adminKey, List<String> extraJvmOptions)
      throws IOException, InterruptedException {
    return tenantry(name, adminKey, extraJvmOptions, List.of());
  }

  /** The same with more server flags ({@code --key=value}). */
  ServerProcess tenantry(String name, String adminKey, List<String> extraJvmOptions, List<String> serverFlags)
      throws IOException, InterruptedException {
    int port = ServerProcess.freePort();
    Path data = Files.createTempDirectory(work, "tenantry-data-");
    List<String> cmd = java();
    cmd.addAll(extraJvmOptions);
    cmd.addAll(List.of("-jar", tenantryJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--data-dir", data.toString(), "--admin.key", adminKey));
    cmd.addAll(serverFlags);
    return ServerProcess.start(name, cmd, port, "/health", work.resolve("logs"), START_TIMEOUT);
  }

  /** The Eureka peer: a Spring Boot application with {@code @EnableEurekaServer} and its defaults. */
  ServerProcess eureka(String name, List<String> extraJvmOptions) throws IOException, InterruptedException {
    int port = ServerProcess.freePort();
    List<String> cmd = java();
    cmd.addAll(extraJvmOptions);
    cmd.addAll(List.of("-jar", eurekaJar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
    return ServerProcess.start(name, cmd, port, "/eureka/apps", work.resolve("logs"), START_TIMEOUT);
  }

  /** A single-member etcd with a fresh data directory; clients through its v3 HTTP gateway. */
  ServerProcess etcd(String name) throws IOException, InterruptedException {
    int client = ServerProcess.freePort();
    int peer = ServerProcess.freePort();
    Path data = Files.createTempDirectory(work, "etcd-data-");
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    List<String> cmd = List.of(etcd.toString(), "--name", "bench", "--data-dir", data.toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "bench=" + peerUrl, "--log-level", "warn");
    return ServerProcess.start(name, cmd, client, "/health", work.resolve("logs"), START_TIMEOUT);
  }

  private List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    return cmd;
  }
}
