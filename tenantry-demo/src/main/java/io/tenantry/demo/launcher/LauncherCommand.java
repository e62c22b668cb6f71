package io.tenantry.demo.launcher;

import io.tenantry.demo.Options;
import io.tenantry.demo.Options.Spec;
import io.tenantry.demo.UsageException;
import io.tenantry.demo.service.Balancers;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/** {@code DemoMain demo [options]}: the launcher's command line. */
public final class LauncherCommand {
  /**
   * For a quick start of many small JVMs on few cores: C1 only, the serial collector, the JDK's class
   * data archive, small heaps and stacks, no perf-data file. Measured in the README.
   */
  static final List<String> DEFAULT_CHILD_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-Xshare:auto", "-Xss512k", "-Xms32m", "-Xmx128m", "-XX:-UsePerfData");

  static final List<Spec> OPTIONS = List.of(
      Spec.of("fail-rate", "0..1", "0.1", "the share of calls payment-2 refuses with 503 on purpose, so retries and failover show"),
      Spec.of("outage-after", "duration", "8s", "when payment-2 starts failing every call, counted from the start of traffic"),
      Spec.of("outage-for", "duration", "8s", "how long payment-2 fails every call before it recovers (0s: never); its "
          + "callers' outlier ejection takes it out of rotation and lets it back"),
      Spec.of("flood-rate", "orders/s", "100", "orders per second initech (free tier, limited to 10/s) sends on top of its "
          + "normal traffic: ten times its limit (0: no flood)"),
      Spec.of("policies", "dir", null, "apply the *.yaml policy files of this directory instead of the demo's own "
          + "(tenantry-demo/src/main/resources/policies)"),
      Spec.of("load-balancer", "name", Balancers.ROUND_ROBIN, "how the launcher and the services choose an instance: "
          + String.join(", ", Balancers.NAMES) + "; round-robin sends payment-2 its share of calls so that "
          + "retries and failovers show, the SDK's default power-of-two-choices steers away from it"),
      Spec.of("duration", "duration", null, "stop by itself after this long, e.g. 30s or 5m (default: run until Ctrl-C)"),
      Spec.of("kill", "instance", null, "kill this instance while the demo runs, e.g. payment-1 (repeatable)"),
      Spec.of("kill-after", "duration", "26s", "when to kill the --kill instances, counted from the start of traffic"
          + " (by default after payment-2's outage and its ejections are over)"),
      Spec.of("kill-mode", "mode", "hard", "hard: SIGKILL, as kill -9 (it cannot deregister; callers fail over and "
          + "its lease expiry removes it); graceful: SIGTERM (it deregisters first)"),
      Spec.of("report-every", "duration", "5s", "how often to print the per-tenant table"),
      Spec.of("order-interval", "duration", "200ms", "the pause between two orders of one tenant"),
      Spec.of("users", "n", "3", "users created per tenant before orders start"),
      Spec.of("port", "port", "0", "the control plane's port; 0 picks a free one"),
      Spec.of("run-dir", "dir", null, "where logs, the control plane's data and SDK snapshots go "
          + "(default: .tenantry/demo-<date-time> under the current directory)"),
      Spec.of("classpath", "path", null, "the classpath of the child processes (default: this JVM's own)"),
      Spec.of("java", "path", null, "the java executable for the child processes (default: this JVM's)"),
      Spec.of("child-jvm-options", "options", String.join(" ", DEFAULT_CHILD_JVM_OPTIONS),
          "JVM options of every child process, space separated; the children also share class-data archives "
              + "kept in class-data/ beside the run directory (-Xshare:off turns them off)"),
      Spec.flag("help", "show this help"));

  private LauncherCommand() {}

  static String help() {
    return Options.help("tenantry demo [options]   (DemoMain demo [options])",
        "Starts the control plane and the seed's system as separate processes: user, order and payment\n"
            + "services, two shared instances each plus one of each dedicated to the siloed tenant acme, in\n"
            + "namespace shop with tenants acme (premium, siloed), globex (standard, pooled) and initech (free,\n"
            + "pooled), plus an order v2 canary. Applies the demo's policies (rate limit and bulkhead on order,\n"
            + "a 10% canary of globex's orders on v2, retry budget, breaker and outlier ejection on payment,\n"
            + "trace sampling with globex traced whole, alert rules on payment), drives orders for every tenant\n"
            + "(each a TCC transaction of the order's reservation and the payment's debit, each service with its\n"
            + "own database; one in ten read back refunded as a saga; initech floods at ten times its limit)\n"
            + "and prints a per-tenant table every few seconds: orders\n"
            + "tried/ok/failed/refused, the share served by v2, payments, the order service's retries and\n"
            + "failovers, isolation probes, which instances served the tenant, when payment-2 was out of\n"
            + "rotation, and each alert as the launcher's webhook receives it. When it stops it prints what the\n"
            + "control plane's API shows: an order's trace per tenant, the dependency graph, RED figures per\n"
            + "service and tenant, the alert events, and how the transactions ended per tenant with a check of\n"
            + "the books (money conserved, every paid order with its debit). Ctrl-C stops everything it started.",
        OPTIONS);
  }

  /** Runs the demo until its duration is over or the JVM is asked to stop. */
  public static void run(String[] args) throws Exception {
    Options o = Options.parse(args, OPTIONS);
    if (o.flag("help")) {
      System.out.println(help());
      return;
    }
    LauncherConfig config = config(o);
    DemoLauncher launcher = new DemoLauncher(config, System.out);
    Thread hook = new Thread(launcher::close, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    launcher.run();
  }

  static LauncherConfig config(Options o) {
    List<String> kill = o.all("kill");
    List<String> known = Topology.instances(0).stream().map(Topology.Planned::id).toList();
    kill.forEach(k -> {
      if (!known.contains(k)) {
        throw new UsageException("--kill: '" + k + "' (expected one of: " + String.join(", ", known) + ")");
      }
    });
    Path runDir = o.get("run-dir").map(Path::of).orElse(Path.of(".tenantry",
        "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    if (java.nio.file.Files.exists(runDir.resolve("data"))) {
      // the control plane there keeps the admin key of the run that created it; each run makes a new one
      throw new UsageException("--run-dir: " + runDir + " already holds an earlier run's control plane "
          + "(expected: a new or empty directory; delete " + runDir.resolve("data") + " or choose another)");
    }
    String jvmOptions = o.required("child-jvm-options").trim();
    try {
      return new LauncherConfig(
          o.get("classpath").orElse(System.getProperty("java.class.path")),
          o.get("java").map(Path::of).orElse(LauncherConfig.currentJava()),
          runDir,
          o.fraction("fail-rate"),
          o.required("load-balancer"),
          o.get("duration").map(d -> Options.parseDuration("duration", d)).orElse(null),
          kill,
          o.duration("kill-after"),
          LauncherConfig.KillMode.of(o.required("kill-mode")),
          o.duration("report-every"),
          o.duration("order-interval"),
          o.integer("users", 1, 1000),
          o.integer("port", 0, 65_535),
          jvmOptions.isEmpty() ? List.of() : Arrays.asList(jvmOptions.split("\\s+")),
          o.number("flood-rate", 0, 10_000),
          o.duration("outage-after"),
          o.duration("outage-for"),
          o.get("policies").map(Path::of).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
