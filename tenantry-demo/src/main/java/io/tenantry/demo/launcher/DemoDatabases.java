package io.tenantry.demo.launcher;

import io.tenantry.demo.service.ServiceConfig.Kind;
import io.tenantry.demo.store.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import org.h2.tools.Server;

/**
 * The databases of the demo's order and payment services, one H2 file each under
 * {@code <run-dir>/databases}, served by an H2 TCP server in the launcher's process on 127.0.0.1 (a free
 * port), so that every instance of a service, each its own process, opens the same file. H2's AUTO_SERVER
 * (the first process to open a file serves it to the others) was tried and refused: instances that start
 * together race for the file's lock, and when the serving process is killed (the demo kills payment-1)
 * the others fail to reopen it. The launcher outlives its services. The password is made per run and
 * reaches the services in the environment. {@link #close()} stops the server. Thread-safe.
 */
final class DemoDatabases implements AutoCloseable {
  static final String USER = "demo";

  private final Server server;
  private final String password;

  private DemoDatabases(Server server, String password) {
    this.server = server;
    this.password = password;
  }

  /** Starts the server for the files under {@code dir} (created when missing). */
  static DemoDatabases start(Path dir) throws SQLException, java.io.IOException {
    Files.createDirectories(dir);
    // -ifNotExists: the services create their files on first use (the server answers 127.0.0.1 only)
    Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toAbsolutePath().toString(),
        "-ifNotExists").start();
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    return new DemoDatabases(server, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** Where {@code kind}'s instances keep their books. */
  DatabaseSettings settings(Kind kind) {
    return new DatabaseSettings("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/" + kind.serviceName(), USER,
        password, DatabaseSettings.DEFAULT_POOL_SIZE);
  }

  @Override
  public void close() {
    server.stop();
  }
}
