package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction benchmark's harness works: Tenantry's driver process (the SDK, two TCC actions behind its
 * phase-two endpoint) against an in-process control plane, with the smoke settings, yields a rate for every kind
 * and thread count, no error, and every confirm arrived before a tcc2 run ended.
 */
class TxBenchSmokeTest {
  private static final String KEY = "tnt_bench_smoke_0123456789abcdef";

  @TempDir
  Path data;

  @Test
  void smokeRun_measuresEveryKindOfTransaction() throws Exception {
    ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0).dataDir(data).adminKey(KEY).build();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
      TenantryAdmin admin = new TenantryAdmin(new InetSocketAddress("127.0.0.1", server.port()), KEY);
      admin.createNamespace(TxSystems.NAMESPACE);
      admin.createTenant(TxSystems.NAMESPACE, TxSystems.TENANT);
      String key = admin.createKey(TxSystems.NAMESPACE, "tx-driver", "service");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
      Results results = new Results(log, null);
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), TxSystems.TENANTRY_DRIVER, "http://127.0.0.1:" + server.port(),
          TxSystems.NAMESPACE, key, TxSystems.TENANT);
      try (TxDriverProcess driver = TxDriverProcess.start("tenantry-driver", cmd, data.resolve("logs"),
          Duration.ofSeconds(60))) {
        new TxBench(TxBench.Settings.smoke(), results, log).run("tenantry",
            new ProcessProbe(ProcessHandle.current().pid()), driver);
      }
      for (String kind : TxBench.KINDS) {
        for (int threads : TxBench.Settings.smoke().threads()) {
          String scenario = TxBench.scenario(kind, threads);
          assertThat(results.find("tenantry", scenario, "tx_per_s")).as(scenario + " " + out)
              .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
          assertThat(results.find("tenantry", scenario, "errors")).as(scenario + " " + out)
              .hasValueSatisfying(f -> assertThat(f.value()).isZero());
        }
      }
      assertThat(TxReport.markdown(results.figures(), null, List.of())).contains(TxReport.HEADING, "| tcc2@4 |");
    }
  }
}
