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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness works: the smoke settings of the Tenantry drivers, run against an in-process control
 * plane for a second or two, yield a number for every figure and no errors. (In one process the CPU
 * figures count the driver too; the real runs use a separate server process, see bench/run.sh.)
 */
class BenchSmokeTest {
  private static final String KEY = "tnt_bench_smoke_0123456789abcdef";

  @TempDir
  Path data;

  @Test
  void smokeRun_measuresEveryTenantryFigure() throws Exception {
    ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0).dataDir(data).adminKey(KEY).build();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
      Results results = new Results(log, null);
      BenchSettings smoke = BenchSettings.smoke();
      TenantryAdmin admin = new TenantryAdmin(new InetSocketAddress("127.0.0.1", server.port()), KEY);
      ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());
      int n = smoke.levels().get(0);
      int watchers = smoke.watchers().get(0);

      new RegistryBench(new TenantryRegistry(admin, "bench"), self, results, smoke.registry(), log).run(smoke.levels());
      new FanoutBench(new TenantryWatch(admin, "bench", KEY), self, results, smoke.fanout(), log)
          .run("fanout@" + watchers, "fanout-" + watchers, watchers);
      String table = new Report(results.figures(), "smoke", "test", List.of(), null, null, null, "now").table();
      log.println(table);

      String batch = "heartbeat.batch" + smoke.registry().batchSize() + "@" + n;
      for (String scenario : List.of("register.new@" + n, "register.again@" + n, "heartbeat@" + n, batch, "read@" + n)) {
        assertThat(results.find("tenantry", scenario, "ops_per_s")).as(scenario + " " + out)
            .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
        assertThat(results.find("tenantry", scenario, "errors")).as(scenario + " " + out)
            .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      }
      assertThat(results.find("tenantry", "register.new@" + n, "ops")).as(out.toString())
          .hasValueSatisfying(f -> assertThat(f.value()).isEqualTo(n));
      assertThat(results.find("tenantry", "memory@" + n, "heap_mb"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      assertThat(results.find("tenantry", "memory@" + n, "rss_mb"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      String fanout = "fanout@" + watchers;
      assertThat(results.find("tenantry", fanout, "missed")).as(out.toString())
          .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      assertThat(results.find("tenantry", fanout, "last_max_ms"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      assertThat(table).containsPattern("register\\.new@" + n + "\\s+ops_per_s\\s+\\d+")
          .containsPattern(fanout + "\\s+last_p99_ms\\s+\\d");
    }
  }
}
