package io.tenantry.demo.launcher;

import io.tenantry.demo.DemoMain;
import io.tenantry.demo.launcher.Topology.Planned;
import io.tenantry.demo.service.ServiceCommand;
import io.tenantry.demo.store.DatabaseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines of the launcher's children: the same java, classpath and JVM options for all, plus
 * class-data sharing per role (see {@link ClassDataSharing}; archives in {@code class-data} beside the
 * run directory), the control plane through {@code DemoMain supervised-server}, each service instance
 * through {@code DemoMain service}. Secrets are never part of a command line (they go in the
 * environment). Immutable.
 */
final class ChildCommands {
  static final String LOGBACK_CONFIG = "logback.configurationFile";
  static final String LOGBACK_RESOURCE = "tenantry-demo-logback.xml";

  /** The service instance that writes the services' class-data archive when none exists yet. */
  static final String ARCHIVE_WRITER = "order-1";

  private final LauncherConfig config;
  private final ClassDataSharing cds;

  ChildCommands(LauncherConfig config) {
    this.config = config;
    this.cds = config.childJvmOptions().contains("-Xshare:off") ? null : ClassDataSharing.of(config.java(),
        config.classpath(), config.runDirectory().toAbsolutePath().getParent().resolve("class-data"));
  }

  List<String> controlPlane(int port, Path dataDir) {
    return controlPlane(port, dataDir, List.of());
  }

  /** The control plane with more server options ({@code --store.url=…}, {@code --tx.…}) after the demo's own. */
  List<String> controlPlane(int port, Path dataDir, List<String> serverOptions) {
    List<String> c = java("control-plane", true);
    c.addAll(List.of(DemoMain.class.getName(), DemoMain.SUPERVISED_SERVER, "--server.port=" + port,
        "--data.dir=" + dataDir.toAbsolutePath(),
        "--alert.interval=" + DemoLauncher.STATS_INTERVAL,
        "--alert.webhook-networks=private")); // the launcher's alert receiver listens on loopback
    c.addAll(serverOptions);
    return c;
  }

  /**
   * Instance {@code p}; {@code database}: its service's (ignored by the user service). Its user and
   * password go in the environment ({@link #databaseEnv}), not here.
   */
  List<String> service(Planned p, URI controlPlane, String namespace, DatabaseSettings database) {
    List<String> c = java("service", p.id().equals(ARCHIVE_WRITER));
    c.addAll(List.of(DemoMain.class.getName(), "service", p.kind().serviceName(), "--id=" + p.id(),
        "--servers=" + controlPlane, "--namespace=" + namespace,
        "--snapshot-dir=" + config.runDirectory().resolve("snapshots").resolve(p.id()).toAbsolutePath(),
        "--load-balancer=" + config.loadBalancer(), "--version=" + p.version(), "--exit-with-parent"));
    if (p.tenant() != null) {
      c.add("--tenant=" + p.tenant());
    }
    if (p.failRate() > 0) {
      c.add("--fail-rate=" + p.failRate());
    }
    if (p.kind().keepsBooks()) {
      c.add("--db-url=" + database.url());
      c.add("--db-pool-size=" + database.maxPoolSize());
    }
    return c;
  }

  /** The environment that gives a service instance its database's user and password. */
  static Map<String, String> databaseEnv(DatabaseSettings database) {
    return Map.of(ServiceCommand.DB_USER_ENV, database.user(), ServiceCommand.DB_PASSWORD_ENV, database.password());
  }

  private List<String> java(String role, boolean archiveWriter) {
    List<String> c = new ArrayList<>();
    c.add(config.java().toString());
    c.addAll(config.childJvmOptions());
    if (cds != null) {
      c.addAll(cds.options(role, archiveWriter));
    }
    c.add("-D" + LOGBACK_CONFIG + "=" + System.getProperty(LOGBACK_CONFIG, LOGBACK_RESOURCE));
    c.add("-cp");
    c.add(config.classpath());
    return c;
  }
}
