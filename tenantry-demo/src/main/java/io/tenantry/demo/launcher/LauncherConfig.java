package io.tenantry.demo.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the launcher runs and for how long. {@code duration} null means until Ctrl-C; {@code kill} names
 * instances to stop {@code killAfter} into the traffic, the way {@code killMode} says. The flooding
 * tenant sends {@code floodRate} more orders per second (0: no flood); the failing payment instance
 * fails every call from {@code outageAfter} for {@code outageFor} (zero: no outage); {@code policies}
 * is a directory of policy files to apply instead of the demo's own (null: the demo's). Immutable.
 */
record LauncherConfig(
    String classpath,
    Path java,
    Path runDirectory,
    double failRate,
    String loadBalancer,
    Duration duration,
    List<String> kill,
    Duration killAfter,
    KillMode killMode,
    Duration reportEvery,
    Duration orderInterval,
    int usersPerTenant,
    int serverPort,
    List<String> childJvmOptions,
    double floodRate,
    Duration outageAfter,
    Duration outageFor,
    Path policies) {

  LauncherConfig {
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(runDirectory, "runDirectory");
    if (!(failRate >= 0 && failRate <= 1)) {
      throw new IllegalArgumentException("failRate: " + failRate + " (expected: 0..1)");
    }
    io.tenantry.demo.service.Balancers.check(loadBalancer);
    kill = List.copyOf(kill);
    Objects.requireNonNull(killAfter, "killAfter");
    Objects.requireNonNull(killMode, "killMode");
    Objects.requireNonNull(reportEvery, "reportEvery");
    Objects.requireNonNull(orderInterval, "orderInterval");
    if (reportEvery.isZero() || orderInterval.isZero()) {
      throw new IllegalArgumentException("reportEvery, orderInterval: zero (expected: > 0)");
    }
    if (usersPerTenant < 1) {
      throw new IllegalArgumentException("usersPerTenant: " + usersPerTenant + " (expected: >= 1)");
    }
    childJvmOptions = List.copyOf(childJvmOptions);
    if (!(floodRate >= 0 && floodRate <= 10_000)) {
      throw new IllegalArgumentException("floodRate: " + floodRate + " (expected: 0..10000 orders per second)");
    }
    Objects.requireNonNull(outageAfter, "outageAfter");
    Objects.requireNonNull(outageFor, "outageFor");
  }

  /** True if the failing instance is to fail every call for a stretch. */
  boolean outage() {
    return !outageFor.isZero();
  }

  /** How {@code --kill} stops an instance. */
  enum KillMode {
    /** SIGKILL of the process tree: no shutdown hook, no deregistration; only its lease expiry removes it. */
    HARD,
    /** SIGTERM: its shutdown hook marks it DRAINING and deregisters it before it stops serving. */
    GRACEFUL;

    static KillMode of(String name) {
      for (KillMode m : values()) {
        if (m.wire().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("kill-mode: '" + name + "' (expected: hard or graceful)");
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The java of this JVM and its own classpath: what a test uses to run the launcher in-process. */
  static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
