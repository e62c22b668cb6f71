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
 * The policy benchmarks work in smoke size against an in-process control plane: every change reaches every
 * SDK client, every figure is a number, and the route switch under load fails no call.
 */
class PolicyPropagationBenchTest {
  private static final String KEY = "tnt_bench_policy_0123456789abcdef";

  @TempDir
  Path data;

  @Test
  void smokeRun_reachesEveryClient_andSwitchesWithoutFailedCalls() throws Exception {
    ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0).dataDir(data).adminKey(KEY).build();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
      Results results = new Results(log, null);
      PolicyPropagationBench.Settings smoke = PolicyPropagationBench.Settings.smoke();
      TenantryAdmin admin = new TenantryAdmin(new InetSocketAddress("127.0.0.1", server.port()), KEY);

      PolicyPropagationBench.run(admin, KEY, new ProcessProbe(ProcessHandle.current().pid()), smoke, results, log);

      String scenario = "policy@" + smoke.clients().get(0);
      assertThat(results.find("tenantry", scenario, "missed")).as(out.toString())
          .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      assertThat(results.find("tenantry", scenario, "changes"))
          .hasValueSatisfying(f -> assertThat(f.value()).isEqualTo(smoke.changes()));
      for (String metric : List.of("last_p50_ms", "last_p99_ms", "last_max_ms", "each_p50_ms", "each_p99_ms")) {
        assertThat(results.find("tenantry", scenario, metric)).as(metric + " " + out)
            .hasValueSatisfying(f -> assertThat(f.value()).isPositive().isLessThan(5_000));
      }
      assertThat(results.find("tenantry", scenario, "threads_per_client"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      assertThat(results.find("tenantry", "bluegreen", "failed")).as(out.toString())
          .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      assertThat(results.find("tenantry", "bluegreen", "first_new_max_ms"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive().isLessThan(5_000));
      assertThat(results.find("tenantry", "bluegreen", "calls"))
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      assertThat(PolicyPropagationBench.markdown(results.figures()))
          .containsPattern("\\| " + smoke.clients().get(0) + " \\| [\\d.]+ / [\\d.]+ / [\\d.]+ \\|")
          .contains("| blue ↔ green, one caller |");
    }
  }
}
