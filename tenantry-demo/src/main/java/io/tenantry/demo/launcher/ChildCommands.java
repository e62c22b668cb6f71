package io.tenantry.demo.launcher;

import io.tenantry.demo.DemoMain;
import io.tenantry.demo.launcher.Topology.Planned;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the launcher's children: the same java and classpath for all, the control plane
 * through {@code DemoMain supervised-server}, each service instance through {@code DemoMain service}.
 * Secrets are never part of a command line (they go in the environment). Immutable.
 */
final class ChildCommands {
  static final String LOGBACK_CONFIG = "logback.configurationFile";
  static final String LOGBACK_RESOURCE = "tenantry-demo-logback.xml";

  private final LauncherConfig config;

  ChildCommands(LauncherConfig config) {
    this.config = config;
  }

  List<String> controlPlane(int port, Path dataDir) {
    List<String> c = java();
    c.addAll(List.of(DemoMain.class.getName(), DemoMain.SUPERVISED_SERVER, "--server.port=" + port,
        "--data.dir=" + dataDir.toAbsolutePath()));
    return c;
  }

  List<String> service(Planned p, URI controlPlane, String namespace) {
    List<String> c = java();
    c.addAll(List.of(DemoMain.class.getName(), "service", p.kind().serviceName(), "--id=" + p.id(),
        "--servers=" + controlPlane, "--namespace=" + namespace,
        "--snapshot-dir=" + config.runDirectory().resolve("snapshots").resolve(p.id()).toAbsolutePath(),
        "--load-balancer=" + config.loadBalancer(), "--exit-with-parent"));
    if (p.tenant() != null) {
      c.add("--tenant=" + p.tenant());
    }
    if (p.failRate() > 0) {
      c.add("--fail-rate=" + p.failRate());
    }
    return c;
  }

  private List<String> java() {
    List<String> c = new ArrayList<>();
    c.add(config.java().toString());
    c.addAll(config.childJvmOptions());
    c.add("-D" + LOGBACK_CONFIG + "=" + System.getProperty(LOGBACK_CONFIG, LOGBACK_RESOURCE));
    c.add("-cp");
    c.add(config.classpath());
    return c;
  }
}
