package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Figure f(String system, String scenario, String metric, double value, String unit) {
    return new Figure(system, scenario, metric, value, unit);
  }

  @Test
  void rows_putThePeerBesideTenantry_withTheAdvantageEitherWay() throws Exception {
    Report report = new Report(List.of(
        f("tenantry", "heartbeat@1000", "ops_per_cpu_s", 40_000, "1/cpu-s"),
        f("eureka", "heartbeat@1000", "ops_per_cpu_s", 10_000, "1/cpu-s"),
        f("tenantry", "fanout@5000", "last_p99_ms", 300, "ms"),
        f("etcd", "fanout@5000", "last_p99_ms", 150, "ms"),
        f("tenantry", "heartbeat@1000", "errors", 0, "")), "full", "bench/run.sh", List.of(), null, null, null, "now");

    assertThat(report.rows()).extracting(Report.Row::metric).containsExactly("ops_per_cpu_s", "last_p99_ms");
    assertThat(report.rows().get(0).advantage()).isEqualTo(4.0);
    assertThat(report.rows().get(1).advantage()).isEqualTo(0.5);
    assertThat(report.targets())
        .anySatisfy(t -> assertThat(t).startsWith("MET").contains("heartbeat@1000 per server CPU-second"))
        .anySatisfy(t -> assertThat(t).startsWith("MISSED").contains("fanout@5000").contains("300 ms vs etcd 150 ms"))
        .anySatisfy(t -> assertThat(t).startsWith("NOT MEASURED").contains("512 MB"));
    assertThat(report.markdown()).contains("| heartbeat@1000 | ops_per_cpu_s (1/cpu-s) | 40000 | eureka | 10000 | 4× |");
  }

  @Test
  void jmhResults_areTabledAndHeldToTheSdkTargets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path json = dir.resolve("jmh.json");
    java.nio.file.Files.writeString(json, "[" + jmh("CallCostBenchmark.sentinel", 435, 800) + ","
        + jmh("CallCostBenchmark.resilience4jBucket4j", 120, 190) + ","
        + jmh("GovernedCallBenchmark.tenantryGoverned", 300, 64) + "]");
    Report report = new Report(List.of(), "full", "bench/run.sh", List.of(), json, null, null, "now");

    assertThat(report.targets())
        .contains("MET           SDK governed call < 400 ns and < 100 B per call: 300 ns, 64 B")
        .contains("MET           SDK faster than Sentinel with rules: 300 ns vs 435 ns")
        .contains("MISSED        SDK within 2x of Resilience4j + Bucket4j: 300 ns vs 120 ns = 2.50x");
    assertThat(report.markdown()).contains("| GovernedCallBenchmark.tenantryGoverned | 300 | 1.50 | 64 |");
  }

  private static String jmh(String name, double ns, double bytes) {
    return "{\"benchmark\":\"io.tenantry.bench.jmh." + name + "\",\"mode\":\"avgt\",\"primaryMetric\":{\"score\":"
        + ns + ",\"scoreError\":1.5,\"scoreUnit\":\"ns/op\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":"
        + bytes + ",\"scoreUnit\":\"B/op\"}}}";
  }

  @Test
  void figure_roundTripsThroughItsLine() {
    Figure figure = f("etcd", "fanout@1000", "last_p50_ms", 35.04, "ms");
    assertThat(Figure.parse(figure.toLine())).isEqualTo(new Figure("etcd", "fanout@1000", "last_p50_ms", 35.0, "ms"));
  }
}
