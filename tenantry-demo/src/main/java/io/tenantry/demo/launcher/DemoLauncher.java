package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.Role;
import io.tenantry.api.TenantSpec;
import io.tenantry.client.TenantryClient;
import io.tenantry.demo.launcher.Children.Child;
import io.tenantry.demo.launcher.Topology.Planned;
import io.tenantry.demo.service.Balancers;
import io.tenantry.demo.service.ServiceCommand;
import io.tenantry.demo.service.ServiceConfig.Kind;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.DatabaseSettings;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.Wallets;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs the whole demo: the control plane and ten service instances as child processes, the namespace,
 * tenants, policies and a service key, traffic for every tenant (and the flood), a table every few
 * seconds, payment-2's outage and optionally stopping an instance mid-run; and stops everything it
 * started in {@link #close()}, which is idempotent and safe to call from a shutdown hook. {@link #run()} once.
 */
final class DemoLauncher implements AutoCloseable {
  static final String CONTROL_PLANE = "control-plane";
  static final long STOP_GRACE_SECONDS = 10;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  /** How long the end of a run waits for the transactions in flight before it reads the books. */
  static final Duration SETTLE_WITHIN = Duration.ofSeconds(30);
  /**
   * The services report their per-tenant statistics every 2 s (the SDK's default is 10 s) and the control plane
   * evaluates alert rules as often: the demo's outage lasts seconds, not the minutes of a real incident.
   */
  static final String STATS_INTERVAL_ENV = "TENANTRY_STATS_INTERVAL";
  static final String STATS_INTERVAL = "2s";

  private final LauncherConfig config;
  private final PrintStream out;
  private final ObjectMapper json = Json.newMapper();
  private final Children children;
  private final ChildCommands commands;
  private final StatsCollector stats = new StatsCollector(json);
  private final List<Planned> planned;
  private final List<String> killed = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicReference<DemoReport> finalReport = new AtomicReference<>();
  private final String adminKey = newAdminKey();
  private volatile TenantryClient client;
  private volatile InstanceKiller killer;
  private volatile TrafficDriver traffic;
  private volatile RotationWatch rotation;
  private volatile FaultControl faults;
  private final List<String> appliedPolicies = new CopyOnWriteArrayList<>();
  private volatile Duration outageFrom;
  private volatile Duration outageTo;
  private volatile URI controlPlane;
  private volatile Instant trafficStarted;
  private volatile AlertReceiver alerts;
  private volatile Observations observations = Observations.NONE;
  private volatile DemoDatabases databases;
  private volatile Settlement settlement = Settlement.NONE;

  DemoLauncher(LauncherConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
    this.children = new Children(config.runDirectory().resolve("logs"));
    this.planned = Topology.instances(config.failRate());
    this.commands = new ChildCommands(config);
  }

  /** Starts everything, runs until the duration is over or {@link #close()} is called, then stops all. */
  DemoReport run() throws Exception {
    try {
      Files.createDirectories(config.runDirectory());
      out.println("Tenantry demo: run directory " + config.runDirectory().toAbsolutePath()
          + " (logs of every process in " + config.runDirectory().resolve("logs").toAbsolutePath() + ")");
      startControlPlane();
      String serviceKey = setUp();
      alerts = new AlertReceiver(json, out, () -> AlertReceiver.since(trafficStarted));
      applyPolicies();
      faults = new FaultControl(serviceKey);
      startServices(serviceKey);
      awaitServices(serviceKey);
      printBanner();
      traffic = new TrafficDriver(client.http(), json, Topology.TENANTS.stream().map(TenantSpec::id).toList(),
          config.usersPerTenant(), config.orderInterval(), Topology.FLOODING_TENANT, config.floodRate());
      trafficStarted = Instant.now();
      rotation = new RotationWatch(stats, () -> client.instances(Kind.ORDER.serviceName()),
          () -> client.instances(Kind.PAYMENT.serviceName()), Kind.PAYMENT.serviceName(), Topology.FAILING_INSTANCE,
          trafficStarted);
      rotation.start();
      traffic.start();
      loop();
    } finally {
      close();
    }
    return finalReport.get();
  }

  /** Something the launcher does at a set time into the traffic. */
  private record Timed(Duration at, Runnable action) {}

  private void loop() throws InterruptedException {
    List<Timed> due = new ArrayList<>();
    if (config.outage()) {
      due.add(new Timed(config.outageAfter(), () -> outage(true)));
      due.add(new Timed(config.outageAfter().plus(config.outageFor()), () -> outage(false)));
    }
    config.kill().forEach(id -> due.add(new Timed(config.killAfter(), () -> kill(id))));
    due.sort(java.util.Comparator.comparing(Timed::at));
    while (true) {
      Duration elapsed = Duration.between(trafficStarted, Instant.now());
      Duration untilReport = config.reportEvery();
      if (!due.isEmpty()) {
        Duration untilNext = due.get(0).at().minus(elapsed);
        if (untilNext.isNegative() || untilNext.isZero()) {
          due.remove(0).action().run();
          continue;
        }
        untilReport = untilNext.compareTo(untilReport) < 0 ? untilNext : untilReport;
      }
      if (config.duration() != null) {
        Duration left = config.duration().minus(elapsed);
        if (left.isNegative() || left.isZero()) {
          return;
        }
        untilReport = left.compareTo(untilReport) < 0 ? left : untilReport;
      }
      if (stopRequested.await(untilReport.toNanos(), TimeUnit.NANOSECONDS) || over()) {
        return; // close() prints the final table
      }
      printTable();
    }
  }

  /** Starts ({@code true}) or ends payment-2's outage: every call refused, then its usual share again. */
  private void outage(boolean start) {
    Duration at = Duration.between(trafficStarted, Instant.now());
    Instance failing = client.instances(Kind.PAYMENT.serviceName()).stream()
        .filter(i -> i.id().equals(Topology.FAILING_INSTANCE)).findFirst().orElse(null);
    if (failing == null) {
      out.println(">>> " + Topology.FAILING_INSTANCE + " is not registered: no outage");
      return;
    }
    try {
      faults.setFailRate(failing, start ? 1.0 : config.failRate());
    } catch (IOException e) {
      out.println(">>> could not switch " + Topology.FAILING_INSTANCE + "'s failures: " + e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (start) {
      outageFrom = at;
      out.println(">>> " + ReportTable.clock(at) + " " + Topology.FAILING_INSTANCE + " now fails every call (503) for "
          + config.outageFor().toSeconds() + " s; watch its callers eject it");
    } else {
      outageTo = at;
      out.println(">>> " + ReportTable.clock(at) + " " + Topology.FAILING_INSTANCE + " healthy again (refuses "
          + Math.round(config.failRate() * 100) + "% as before); its callers let it back when its ejection ends");
    }
  }

  private boolean over() {
    return config.duration() != null
        && Duration.between(trafficStarted, Instant.now()).compareTo(config.duration()) >= 0;
  }

  private void kill(String id) {
    stats.poll(id); // keep what it counted up to now
    String service = planned.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().kind().serviceName();
    killer.kill(id, service, Duration.between(trafficStarted, Instant.now()));
    killed.add(id);
  }

  private void startControlPlane() throws IOException, InterruptedException {
    int port = config.serverPort() != 0 ? config.serverPort() : freePort();
    controlPlane = URI.create("http://127.0.0.1:" + port);
    Child child = children.start(CONTROL_PLANE, commands.controlPlane(port, config.runDirectory().resolve("data")),
        Map.of(ControlPlaneProcess.ADMIN_KEY_ENV, adminKey));
    out.println("starting the control plane on " + controlPlane + " (log: " + child.log() + ")");
    AdminApi admin = new AdminApi(json, controlPlane, adminKey);
    await("the control plane to answer /health", admin::healthy, List.of(child));
  }

  /** PUTs every policy file to the control plane before any service starts, one line each. */
  private void applyPolicies() throws IOException, InterruptedException {
    AdminApi admin = new AdminApi(json, controlPlane, adminKey);
    List<PolicyFile> files = config.policies() == null ? PolicyFile.bundled() : PolicyFile.directory(config.policies());
    for (PolicyFile file : files) {
      PolicyFile f = file.withNotifier(alerts.url()); // alert policies notify the launcher, which prints each event
      long version = admin.putPolicy(Topology.NAMESPACE, f);
      appliedPolicies.add(f.kind().wire() + "/" + f.name());
      out.println("policy " + f.label() + " applied (version " + version + ", from " + f.source() + ")"
          + (f.body().dryRun() ? " [dry run]" : "") + ": " + f.body().description());
    }
  }

  /** Creates namespace shop, its tenants and a service key; returns the key's secret. */
  private String setUp() throws IOException, InterruptedException {
    AdminApi admin = new AdminApi(json, controlPlane, adminKey);
    admin.createNamespace(new NamespaceSpec(Topology.NAMESPACE, "the seed's shop: user, order and payment services"));
    for (TenantSpec t : Topology.TENANTS) {
      admin.createTenant(Topology.NAMESPACE, t);
      out.println("tenant " + t.id() + ": tier " + t.tier() + ", " + t.isolation().wire());
    }
    return admin.createKey(Topology.NAMESPACE, new ApiKeySpec("demo-services", Role.SERVICE));
  }

  private void startServices(String serviceKey) throws IOException, SQLException {
    databases = DemoDatabases.start(config.runDirectory().resolve("databases"));
    for (Planned p : planned) {
      DatabaseSettings db = databases.settings(p.kind());
      Map<String, String> env = new HashMap<>(ChildCommands.databaseEnv(db));
      env.putAll(Map.of(ServiceCommand.API_KEY_ENV, serviceKey, STATS_INTERVAL_ENV, STATS_INTERVAL));
      children.start(p.id(), commands.service(p, controlPlane, Topology.NAMESPACE, db), env);
    }
    out.println("started " + planned.size() + " service instances: "
        + String.join(", ", planned.stream().map(Planned::id).toList()));
  }

  /** Waits until every instance is registered and every order instance discovers its upstreams. */
  private void awaitServices(String serviceKey) throws InterruptedException {
    client = TenantryClient.newBuilder()
        .servers(controlPlane.toString())
        .namespace(Topology.NAMESPACE)
        .apiKey(serviceKey)
        .serviceName("demo-launcher")
        .loadBalancer(Balancers.of(config.loadBalancer()))
        .snapshotDirectory(config.runDirectory().resolve("snapshots").resolve("launcher"))
        .build();
    client.start();
    killer = new InstanceKiller(children, config.killMode(), client, out);
    List<Child> services = children.all().stream().filter(c -> !c.name().equals(CONTROL_PLANE)).toList();
    await("all " + planned.size() + " instances to register", () -> missing().isEmpty(), services);
    await("the order instances to discover their user and payment instances", this::ordersReady, services);
  }

  private List<String> missing() {
    Set<String> up = new HashSet<>();
    for (Kind k : Kind.values()) {
      client.instances(k.serviceName()).stream().filter(i -> i.status() == InstanceStatus.UP)
          .forEach(i -> up.add(i.id()));
    }
    return planned.stream().map(Planned::id).filter(id -> !up.contains(id)).toList();
  }

  private boolean ordersReady() {
    int perService = (int) planned.stream().filter(p -> p.kind() == Kind.USER).count();
    return client.instances(Kind.ORDER.serviceName()).stream()
        .allMatch(i -> stats.discovered(i, "user") >= perService && stats.discovered(i, "payment") >= perService);
  }

  private void await(String what, BooleanSupplier done, List<Child> mustLive) throws InterruptedException {
    Instant start = Instant.now();
    Instant lastProgress = start;
    while (!done.getAsBoolean()) {
      for (Child c : mustLive) {
        if (!c.alive()) {
          throw new IllegalStateException(c.name() + " exited with code " + c.process().exitValue()
              + " while waiting for " + what + "; see " + c.log());
        }
      }
      Instant now = Instant.now();
      if (Duration.between(start, now).compareTo(STARTUP_TIMEOUT) > 0) {
        throw new IllegalStateException("timed out after " + STARTUP_TIMEOUT.toSeconds() + "s waiting for " + what
            + "; logs in " + config.runDirectory().resolve("logs"));
      }
      if (Duration.between(lastProgress, now).toMillis() >= 2000) {
        out.println("  waiting for " + what + " (" + Duration.between(start, now).toSeconds() + "s)"
            + (client != null && what.contains("register") ? ", not yet: " + String.join(", ", missing()) : ""));
        lastProgress = now;
      }
      if (stopRequested.await(200, TimeUnit.MILLISECONDS)) {
        throw new InterruptedException("stopped while waiting for " + what);
      }
    }
    out.println("ready: " + what + " (" + Duration.between(start, Instant.now()).toMillis() + " ms)");
  }

  private void printBanner() {
    out.println();
    out.println("Tenantry demo is running. Control plane: " + controlPlane + "   admin key: " + adminKey);
    out.println("  try: curl -H 'Authorization: Bearer " + adminKey + "' " + controlPlane
        + "/api/v1/namespaces/shop/services/payment/instances");
    out.println("  " + Topology.FAILING_INSTANCE + " refuses " + Math.round(config.failRate() * 100)
        + "% of its calls on purpose; the order service retries and fails over (load balancer: "
        + config.loadBalancer() + ")."
        + (config.outage() ? " From " + config.outageAfter().toSeconds() + "s it fails every call for "
            + config.outageFor().toSeconds() + "s." : "")
        + (config.floodRate() > 0 ? " " + Topology.FLOODING_TENANT + " floods the order service with "
            + Math.round(config.floodRate()) + " more orders/s." : "")
        + (config.kill().isEmpty() ? "" : " Will " + (config.killMode() == LauncherConfig.KillMode.HARD
            ? "kill -9 " : "stop ") + String.join(", ", config.kill()) + " after " + config.killAfter().toSeconds() + "s."));
    out.println(config.duration() == null ? "  Press Ctrl-C to stop." : "  Running for " + config.duration().toSeconds() + "s.");
  }

  private DemoReport report() {
    stats.poll(client == null ? List.of() : allInstances());
    return DemoReport.of(traffic == null ? Map.of() : traffic.traffic(), stats.snapshot(), killed, failingInstance());
  }

  /** What was seen of payment-2's outage, or null before traffic. */
  private DemoReport.FailingInstance failingInstance() {
    RotationWatch r = rotation;
    if (r == null) {
      return null;
    }
    Duration to = outageTo;
    return new DemoReport.FailingInstance(Topology.FAILING_INSTANCE, outageFrom, to, r.episodes(),
        to == null ? null : r.servingAgain(to));
  }

  private List<Instance> allInstances() {
    List<Instance> all = new ArrayList<>();
    for (Kind k : Kind.values()) {
      all.addAll(client.instances(k.serviceName()));
    }
    return all;
  }

  private void printTable() {
    out.print(ReportTable.format(report(), Duration.between(trafficStarted, Instant.now()), controlPlane.toString()));
    out.flush();
  }

  /** The children started so far (alive or not). */
  List<Child> children() {
    return children.all();
  }

  /** The policies applied at start, as {@code kind/name}. */
  List<String> appliedPolicies() {
    return List.copyOf(appliedPolicies);
  }

  URI controlPlane() {
    return controlPlane;
  }

  /** What the control plane's observability API showed at the end of the run. */
  Observations observations() {
    return observations;
  }

  /** How the run's transactions ended and what the books said, read when the traffic stopped. */
  Settlement settlement() {
    return settlement;
  }

  /**
   * Waits (at most {@link #SETTLE_WITHIN}) until the coordinator has no transaction of the run in flight,
   * then reads its counts per tenant and audits both services' databases.
   */
  private Settlement settle() {
    out.println("settling: waiting for the transactions in flight to finish, then reading the books");
    try (Database orders = Database.open("launcher-order", databases.settings(Kind.ORDER).withPoolSize(1),
            OrderBook.SCHEMA);
         Database payments = Database.open("launcher-payment", databases.settings(Kind.PAYMENT).withPoolSize(1),
             Wallets.SCHEMA)) {
      return Settlement.read(new AdminApi(json, controlPlane, adminKey), Topology.NAMESPACE,
          Topology.TENANTS.stream().map(TenantSpec::id).toList(), orders.dataSource(), payments.dataSource(),
          SETTLE_WITHIN, () -> true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Settlement(Map.of(), Map.of(), 0, List.of("interrupted"));
    } catch (RuntimeException e) {
      return new Settlement(Map.of(), Map.of(), 0, List.of("the books: " + e.getMessage()));
    }
  }

  /** The alert events the launcher's webhook receiver got. */
  List<String> alertsReceived() {
    AlertReceiver a = alerts;
    return a == null ? List.of() : a.received();
  }

  /** Killed instance id → how long after the kill the control plane dropped it (only those dropped). */
  Map<String, Duration> removedFromRegistry() {
    InstanceKiller k = killer;
    return k == null ? Map.of() : k.removed();
  }

  /** Stops traffic, takes the final report, stops every child (services first) and waits for them. */
  @Override
  public void close() {
    stopRequested.countDown();
    synchronized (this) {
      if (finalReport.get() != null) {
        return;
      }
      TrafficDriver t = traffic;
      if (t != null) {
        t.close();
      }
      RotationWatch r = rotation;
      if (r != null) {
        r.close();
      }
      DemoReport report = report();
      finalReport.set(report);
      if (trafficStarted != null) {
        out.print(ReportTable.format(report, Duration.between(trafficStarted, Instant.now()), controlPlane.toString()));
        settlement = settle();
        out.print(ReportTable.settlement(settlement, report));
        observations = Observations.read(new AdminApi(json, controlPlane, adminKey), Topology.NAMESPACE,
            Topology.TENANTS.stream().map(TenantSpec::id).toList(), Duration.between(trafficStarted, Instant.now()).toMillis() + 60_000);
        out.print(ReportTable.observations(observations));
      }
      if (alerts != null) {
        alerts.close();
      }
      if (killer != null) {
        killer.close();
      }
      if (client != null) {
        client.close();
      }
      List<String> services = children.all().stream().map(Child::name).filter(n -> !n.equals(CONTROL_PLANE)).toList();
      out.println("stopping " + services.size() + " service instances and the control plane");
      children.stop(services, STOP_GRACE_SECONDS);
      children.stop(List.of(CONTROL_PLANE), STOP_GRACE_SECONDS);
      if (databases != null) {
        databases.close(); // after the services: they use it until they stop
      }
      long alive = children.all().stream().filter(Child::alive).count();
      out.println(alive == 0 ? "all stopped; logs in " + config.runDirectory().resolve("logs").toAbsolutePath()
          : alive + " processes did not stop!");
      out.flush();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String newAdminKey() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return "demo_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
