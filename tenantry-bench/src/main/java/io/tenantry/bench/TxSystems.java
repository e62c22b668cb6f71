package io.tenantry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Starts each coordinator of the transaction benchmark and its driver, each a process of its own, and runs
 * {@link TxBench} against the pair: Tenantry's control plane (embedded H2, or PostgreSQL) with the SDK's driver,
 * and Seata's server (file store, async or sync flush, or db store on PostgreSQL) with Seata's client driver.
 * Not thread-safe.
 */
final class TxSystems {
  /** The Tenantry driver's main class (tenantry-bench, with the SDK on its class path). */
  static final String TENANTRY_DRIVER = "io.tenantry.bench.tx.TenantryTxDriver";
  static final String SEATA_DRIVER = "io.tenantry.bench.peers.seata.SeataTxDriver";
  static final String NAMESPACE = "bench";
  static final String TENANT = "acme";
  private static final Duration DRIVER_START = Duration.ofSeconds(90);

  private final Servers servers;
  private final Path work;
  private final TxBench bench;
  private final boolean jfr;

  /** @param jfr record each coordinator with Java Flight Recorder into {@code work/<system>.jfr} */
  TxSystems(Servers servers, Path work, TxBench bench, boolean jfr) {
    this.servers = servers;
    this.work = work;
    this.bench = bench;
    this.jfr = jfr;
  }

  /**
   * Tenantry's control plane on its embedded store ({@code postgresServer} null) or on a fresh PostgreSQL database
   * of {@code postgresServer} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/}); its driver runs with this JVM's
   * class path.
   */
  void tenantry(String system, String postgresServer) throws IOException, InterruptedException, SQLException {
    String adminKey = "tnt_bench_" + UUID.randomUUID().toString().replace("-", "");
    ScratchDatabase db = postgresServer == null ? null : ScratchDatabase.create(postgresServer, "tenantry_bench_tx");
    try {
      List<String> flags = db == null ? List.of()
          : List.of("--store-url", db.url(), "--store.user", "postgres");
      try (ServerProcess server = servers.tenantry(system, adminKey, jvmOptions(system), flags)) {
        TenantryAdmin admin = new TenantryAdmin(server.address(), adminKey);
        admin.createNamespace(NAMESPACE);
        admin.createTenant(NAMESPACE, TENANT);
        String key = admin.createKey(NAMESPACE, "tx-driver", "service");
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TENANTRY_DRIVER,
            "http://127.0.0.1:" + server.address().getPort(), NAMESPACE, key, TENANT));
        try (TxDriverProcess driver = TxDriverProcess.start(system + "-driver", cmd, work.resolve("logs"),
            DRIVER_START)) {
          bench.run(system, new ProcessProbe(server.pid()), driver);
        }
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  /**
   * Seata's server from {@code lib} with the store {@code storeSettings} says, or, with {@code postgresServer}, in
   * db mode on a fresh PostgreSQL database; its driver runs with {@code driverClassPath}.
   */
  void seata(String system, Path lib, String driverClassPath, List<String> storeSettings, String postgresServer)
      throws IOException, InterruptedException, SQLException {
    ScratchDatabase db = postgresServer == null ? null : ScratchDatabase.create(postgresServer, "seata_bench_tx");
    try {
      List<String> settings = new ArrayList<>(storeSettings);
      if (db != null) {
        db.runScript("/io/tenantry/bench/seata-postgresql.sql");
        settings.addAll(List.of("seata.store.mode=db", "seata.store.db.datasource=hikari",
            "seata.store.db.db-type=postgresql", "seata.store.db.driver-class-name=org.postgresql.Driver",
            "seata.store.db.url=" + db.url(), "seata.store.db.user=postgres", "seata.store.db.password="));
      }
      SeataServer.Started seata = SeataServer.start(lib, work, system, settings, jvmOptions(system));
      try (ServerProcess server = seata.process()) {
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", driverClassPath, SEATA_DRIVER, Integer.toString(seata.servicePort())));
        try (TxDriverProcess driver = TxDriverProcess.start(system + "-driver", cmd, work.resolve("logs"),
            DRIVER_START)) {
          bench.run(system, new ProcessProbe(server.pid()), driver);
        }
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  private List<String> jvmOptions(String system) {
    return jfr ? BenchMain.jfr(work, system) : List.of();
  }

  private static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return cmd;
  }
}
