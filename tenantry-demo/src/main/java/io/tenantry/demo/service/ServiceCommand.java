package io.tenantry.demo.service;

import io.tenantry.api.InstanceSpec;
import io.tenantry.demo.Options;
import io.tenantry.demo.Options.Spec;
import io.tenantry.demo.UsageException;
import io.tenantry.demo.store.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code DemoMain service <user|order|payment> [options]}: runs one instance until it is stopped. The
 * API key comes only from the environment ({@code TENANTRY_API_KEY}) so that it never shows in a
 * process list.
 */
public final class ServiceCommand {
  public static final String API_KEY_ENV = "TENANTRY_API_KEY";
  /** The database's user and password: from the environment, never the command line. */
  public static final String DB_USER_ENV = "TENANTRY_DEMO_DB_USER";
  public static final String DB_PASSWORD_ENV = "TENANTRY_DEMO_DB_PASSWORD";

  static final List<Spec> OPTIONS = List.of(
      Spec.of("id", "instance-id", null, "this instance's id in the registry, e.g. payment-2 (default: <service>-1)"),
      Spec.of("host", "address", "127.0.0.1", "the address to listen on and to register"),
      Spec.of("port", "port", "0", "the port to listen on; 0 picks a free one, which is what is registered"),
      Spec.of("tenant", "tenant", null, "dedicate this instance to one (siloed) tenant; omit for a shared instance"),
      Spec.of("version", "version", "v1", "the version to register"),
      Spec.of("zone", "zone", "zone-a", "the zone to register"),
      Spec.of("fail-rate", "0..1", "0", "the share of payment calls this instance refuses with 503 on purpose"),
      Spec.of("load-balancer", "name", Balancers.POWER_OF_TWO_CHOICES,
          "how this instance's calls choose an instance: " + String.join(", ", Balancers.NAMES)),
      Spec.of("lease-seconds", "seconds", "8", "the lease to register with: a killed instance (no deregistration) "
          + "leaves the registry this long after its last heartbeat; the SDK heartbeats every third of it"),
      Spec.of("servers", "urls", envOr("TENANTRY_SERVERS", "http://127.0.0.1:7070"),
          "the control plane's URLs, comma separated (environment: TENANTRY_SERVERS)"),
      Spec.of("namespace", "name", envOr("TENANTRY_NAMESPACE", "shop"),
          "the namespace to register in (environment: TENANTRY_NAMESPACE)"),
      Spec.of("snapshot-dir", "dir", null,
          "where the SDK keeps its discovery snapshot (default: <tmp>/tenantry/snapshots/<id>)"),
      Spec.of("db-url", "jdbc-url", null, "the order or payment service's database, shared by its instances: "
          + "jdbc:postgresql://… or jdbc:h2:…; user and password from " + DB_USER_ENV + " and " + DB_PASSWORD_ENV
          + " (default: an H2 file <data-dir>/<service> that the service's instances open together)"),
      Spec.of("data-dir", "dir", Path.of(System.getProperty("java.io.tmpdir"), "tenantry", "demo-data").toString(),
          "where the default H2 database files go"),
      Spec.of("db-pool-size", "n", String.valueOf(DatabaseSettings.DEFAULT_POOL_SIZE),
          "the most database connections this instance holds"),
      Spec.flag("exit-with-parent", "exit when stdin closes or the parent process ends (the launcher sets this)"),
      Spec.flag("help", "show this help"));

  private ServiceCommand() {}

  static String help() {
    return Options.help("DemoMain service <user|order|payment> [options]",
        "Runs one instance of a demo service: an HTTP service that registers with the control plane,\n"
            + "keeps its data per tenant (the tenant comes from X-Tenant-Id / baggage tenant.id) and serves\n"
            + "  user:    POST /users {name,email}, GET /users/{id}\n"
            + "  order:   POST /orders {userId,amount,payWithin?} (checks the user; reserves and pays in one TCC\n"
            + "           transaction), POST /orders/{id}/refund (a saga), GET /orders/{id}\n"
            + "  payment: POST /payments {orderId,customer,amount} with header Idempotency-Key, inside the caller's\n"
            + "           transaction (the debit branch), POST /payments/{orderId}/refund, GET /payments/{orderId}\n"
            + "and on each: GET /health, GET /stats (per-tenant counters).\n"
            + "The API key is read from the environment variable " + API_KEY_ENV + " (never from the command line).",
        OPTIONS);
  }

  /** Runs the command; returns only when the process is asked to stop. */
  public static void run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.println(help());
      if (args.length == 0) {
        throw new UsageException("missing service (expected: user, order or payment)");
      }
      return;
    }
    ServiceConfig.Kind kind;
    try {
      kind = ServiceConfig.Kind.of(args[0]);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length), OPTIONS);
    if (o.flag("help")) {
      System.out.println(help());
      return;
    }
    String id = o.get("id").orElse(kind.serviceName() + "-1");
    ServiceConfig config;
    try {
      config = new ServiceConfig(kind, id, o.required("host"), o.integer("port", 0, 65_535),
          o.get("tenant").orElse(null), o.required("version"), o.required("zone"), o.fraction("fail-rate"),
          o.required("load-balancer"), List.of(o.required("servers").split(",")), o.required("namespace"), System.getenv(API_KEY_ENV),
          o.get("snapshot-dir").map(Path::of)
              .orElse(Path.of(System.getProperty("java.io.tmpdir"), "tenantry", "snapshots", id)),
          o.integer("lease-seconds", 1, InstanceSpec.MAX_LEASE_SECONDS),
          database(kind, o));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (o.flag("exit-with-parent")) {
      ParentWatch.start(id, Duration.ofMillis(500));
    }
    ServiceProcess process = new ServiceProcess(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      process.close();
      stopped.countDown();
    }, id + "-shutdown"));
    process.start();
    stopped.await();
  }

  private static DatabaseSettings database(ServiceConfig.Kind kind, Options o) {
    int pool = o.integer("db-pool-size", 1, 100);
    return o.get("db-url")
        .map(url -> new DatabaseSettings(url, System.getenv(DB_USER_ENV), System.getenv(DB_PASSWORD_ENV), pool))
        .orElseGet(() -> DatabaseSettings.h2File(Path.of(o.required("data-dir")), kind.serviceName()).withPoolSize(pool));
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
