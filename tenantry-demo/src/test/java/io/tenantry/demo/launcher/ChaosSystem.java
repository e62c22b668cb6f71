package io.tenantry.demo.launcher;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Json;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.Role;
import io.tenantry.api.TenantSpec;
import io.tenantry.api.TenantStatus;
import io.tenantry.client.TenantryClient;
import io.tenantry.demo.launcher.Children.Child;
import io.tenantry.demo.launcher.LauncherConfig.KillMode;
import io.tenantry.demo.launcher.Topology.Planned;
import io.tenantry.demo.service.Balancers;
import io.tenantry.demo.service.ServiceCommand;
import io.tenantry.demo.service.ServiceConfig.Kind;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.DatabaseSettings;
import io.tenantry.demo.store.LedgerAudit;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.TestPostgres;
import io.tenantry.demo.store.Wallets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's services as real processes on PostgreSQL, for the chaos test: the control plane on a
 * database of its own (or on its embedded store under the run directory), {@code user-1}, {@code order-1}, {@code order-2}, {@code payment-1} and
 * {@code payment-2} (order and payment each on their own database, shared by their instances), in
 * namespace {@code shop} with the given pooled tenants and the demo's resilience policy for the calls to
 * payment ({@code payment-resilience.yaml}), and a driver client (service {@code chaos-driver})
 * that calls them through the SDK. The control plane can be killed ({@code destroyForcibly}) and started
 * again on the same store and port; a service that exited can be started again under its id. The
 * databases are created at start and dropped by {@link #close()}, which stops everything first.
 */
final class ChaosSystem implements AutoCloseable {
  static final String NAMESPACE = "shop";
  static final String ADMIN_KEY = "chaos-admin-key-0123456789abcdef";
  static final List<Planned> SERVICES = List.of(
      new Planned(Kind.USER, "user-1", null, Topology.STABLE_VERSION, 0),
      new Planned(Kind.ORDER, "order-1", null, Topology.STABLE_VERSION, 0),
      new Planned(Kind.ORDER, "order-2", null, Topology.STABLE_VERSION, 0),
      new Planned(Kind.PAYMENT, "payment-1", null, Topology.STABLE_VERSION, 0),
      new Planned(Kind.PAYMENT, "payment-2", null, Topology.STABLE_VERSION, 0));
  /** Connections per service instance: two instances of two services and the control plane stay well under PostgreSQL's 100. */
  static final int POOL_SIZE = 5;
  static final String PAYMENT_POLICY = "payment-protection";

  private final ObjectMapper json = Json.newMapper();
  private final Path runDir;
  private final Children children;
  private final ChildCommands commands;
  private final List<String> databases = new ArrayList<>();
  private final Map<Kind, DatabaseSettings> books = new HashMap<>();
  private final List<String> serverOptions;
  /** False: the control plane on its embedded store, under the run directory (kept across its restarts). */
  private final boolean controlPlaneOnPostgres;
  private final int port;
  private final URI controlPlane;
  private final AdminApi admin;
  private String serviceKey;
  private TenantryClient client;
  private FaultControl faults;

  private ChaosSystem(Path runDir, boolean controlPlaneOnPostgres, List<String> serverOptions) throws IOException {
    this.runDir = runDir;
    this.controlPlaneOnPostgres = controlPlaneOnPostgres;
    this.serverOptions = serverOptions;
    this.children = new Children(runDir.resolve("logs"));
    this.commands = new ChildCommands(new LauncherConfig(System.getProperty("java.class.path"),
        LauncherConfig.currentJava(), runDir, 0, Balancers.ROUND_ROBIN, null, List.of(), Duration.ZERO, KillMode.HARD,
        Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 0, LauncherCommand.DEFAULT_CHILD_JVM_OPTIONS, 0, Duration.ZERO,
        Duration.ZERO, null));
    this.port = DemoLauncher.freePort();
    this.controlPlane = URI.create("http://127.0.0.1:" + port);
    this.admin = new AdminApi(json, controlPlane, ADMIN_KEY);
  }

  /**
   * Creates the databases, starts the control plane with {@code serverOptions} added, sets up the tenants
   * and starts the services; returns when every service is registered and the order instances see their
   * upstreams.
   */
  static ChaosSystem start(Path runDir, List<String> tenants, boolean controlPlaneOnPostgres, List<String> serverOptions)
      throws Exception {
    ChaosSystem s = new ChaosSystem(runDir, controlPlaneOnPostgres, serverOptions);
    try {
      s.createDatabases();
      s.startControlPlane();
      s.setUp(tenants);
      s.startServices();
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  private void createDatabases() {
    if (controlPlaneOnPostgres) {
      databases.add(TestPostgres.create("chaos_cp"));
    }
    for (Kind kind : List.of(Kind.ORDER, Kind.PAYMENT)) {
      String name = TestPostgres.create("chaos_" + kind.serviceName());
      databases.add(name);
      books.put(kind, TestPostgres.settings(name, POOL_SIZE));
    }
  }

  /** Starts (or starts again) the control plane on its store and port; returns when it answers. */
  void startControlPlane() throws IOException {
    List<String> options = new ArrayList<>(!controlPlaneOnPostgres ? List.of()
        : List.of("--store.url=" + TestPostgres.url(databases.get(0)), "--store.user=" + TestPostgres.USER));
    options.addAll(serverOptions);
    children.start(DemoLauncher.CONTROL_PLANE, commands.controlPlane(port, runDir.resolve("data"), options),
        Map.of(ControlPlaneProcess.ADMIN_KEY_ENV, ADMIN_KEY));
    await("the control plane answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(admin::healthy);
  }

  /** Kills the control plane as kill -9 would: no shutdown, whatever it was doing is cut off. */
  void killControlPlane() {
    children.kill(DemoLauncher.CONTROL_PLANE, DemoLauncher.STOP_GRACE_SECONDS);
  }

  private void setUp(List<String> tenants) throws IOException, InterruptedException {
    admin.createNamespace(new NamespaceSpec(NAMESPACE, "chaos test"));
    for (String t : tenants) {
      admin.createTenant(NAMESPACE, new TenantSpec(t, "standard", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()));
    }
    serviceKey = admin.createKey(NAMESPACE, new ApiKeySpec("chaos-services", Role.SERVICE));
    faults = new FaultControl(serviceKey);
    // the demo's resilience of the calls to payment: 2 s per attempt (a slow try times its caller out), at most
    // 4 attempts, failover, breaker and outlier ejection
    for (PolicyFile f : PolicyFile.bundled()) {
      if (f.name().equals(PAYMENT_POLICY)) {
        admin.putPolicy(NAMESPACE, f);
      }
    }
  }

  private void startServices() throws IOException {
    SERVICES.forEach(this::startService);
    client = TenantryClient.newBuilder()
        .servers(controlPlane.toString())
        .namespace(NAMESPACE)
        .apiKey(serviceKey)
        .serviceName("chaos-driver")
        .loadBalancer(Balancers.of(Balancers.ROUND_ROBIN))
        .snapshotDirectory(runDir.resolve("snapshots").resolve("driver"))
        .build();
    client.start();
    StatsCollector stats = new StatsCollector(json);
    await("every service registered, the order instances seeing their upstreams").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500)).until(() -> SERVICES.stream().allMatch(p -> up(p.id()))
            && client.instances("order").stream().allMatch(i -> stats.discovered(i, "user") >= 1
                && stats.discovered(i, "payment") >= 2));
  }

  private void startService(Planned p) {
    DatabaseSettings db = books.get(p.kind()); // null for the user service: it keeps no books
    Map<String, String> env = new HashMap<>(db == null ? Map.of() : ChildCommands.databaseEnv(db));
    env.put(ServiceCommand.API_KEY_ENV, serviceKey);
    try {
      children.start(p.id(), commands.service(p, controlPlane, NAMESPACE, db), env);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + p.id(), e);
    }
  }

  /** Starts {@code id} again if its process has exited; true if it did. */
  boolean restartIfExited(String id) {
    Child child = children.get(id).orElseThrow();
    if (child.alive()) {
      return false;
    }
    startService(SERVICES.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow());
    return true;
  }

  /** The exit status of {@code id}'s process, which has exited. */
  int exitStatus(String id) {
    return children.get(id).orElseThrow().process().exitValue();
  }

  boolean alive(String id) {
    return children.get(id).map(Child::alive).orElse(false);
  }

  /** True if {@code id} is registered and UP as the driver's SDK sees it. */
  boolean up(String id) {
    return instance(id) != null;
  }

  Instance instance(String id) {
    for (Kind k : Kind.values()) {
      for (Instance i : client.instances(k.serviceName())) {
        if (i.id().equals(id) && i.status() == InstanceStatus.UP) {
          return i;
        }
      }
    }
    return null;
  }

  /** Sets faults of a running payment instance (see FaultSwitch); false if it is not up or did not take them. */
  boolean fault(String id, Map<String, ?> setting) {
    Instance i = instance(id);
    if (i == null) {
      return false;
    }
    try {
      faults.set(i, setting);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  TenantryClient client() {
    return client;
  }

  AdminApi admin() {
    return admin;
  }

  /** {@code GET} on the control plane's API with the admin key. */
  JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    return admin.get(pathAndQuery);
  }

  /** Both services' books, read from their PostgreSQL databases, per tenant. */
  Map<String, LedgerAudit.TenantBooks> audit(boolean atRest) throws SQLException {
    try (Database orders = Database.open("chaos-audit-order", books.get(Kind.ORDER).withPoolSize(1), OrderBook.SCHEMA);
         Database payments = Database.open("chaos-audit-payment", books.get(Kind.PAYMENT).withPoolSize(1),
             Wallets.SCHEMA)) {
      return LedgerAudit.read(orders.dataSource(), payments.dataSource(), atRest);
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    List<String> services = children.all().stream().map(Child::name)
        .filter(n -> !n.equals(DemoLauncher.CONTROL_PLANE)).toList();
    children.stop(services, DemoLauncher.STOP_GRACE_SECONDS);
    children.stop(List.of(DemoLauncher.CONTROL_PLANE), DemoLauncher.STOP_GRACE_SECONDS);
    databases.forEach(TestPostgres::drop);
  }
}
