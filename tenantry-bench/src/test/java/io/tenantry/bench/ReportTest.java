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
    Report report = jmhReport(dir, jmh("CallCostBenchmark.sentinel", 435, 800),
        jmh("CallCostBenchmark.resilience4jBucket4j", 120, 190), jmh("GovernedCallBenchmark.tenantryGoverned", 300, 64));

    assertThat(report.targets())
        .contains("MET           SDK governed call < 400 ns and < 100 B per call: 300 ns, 64 B")
        .contains("MET           SDK faster than Sentinel with rules: 300 ns vs 435 ns")
        .contains("MISSED        SDK within 2x of Resilience4j + Bucket4j: 300 ns vs 120 ns = 2.50x");
    assertThat(report.markdown()).contains("| GovernedCallBenchmark.tenantryGoverned | 300 | 1.50 | 64 |");
  }

  @Test
  void theSdkTargetsJudgeTheDefaultStatisticsWithoutSpans_whateverTheRowOrder(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Report report = jmhReport(dir, jmh("CallCostBenchmark.resilience4jBucket4j", 120, 190),
        jmh("GovernedCallBenchmark.tenantryGoverned", 200, 48, "off", "none"),
        jmh("GovernedCallBenchmark.tenantryGoverned", 2000, 1900, "stats", "default"),
        jmh("GovernedCallBenchmark.tenantryGoverned", 360, 80, "stats", "none"),
        jmh("GovernedCallBenchmark.tenantryGovernedCallerOnly", 220, 80, "stats", "none"));

    assertThat(report.targets())
        .contains("MET           SDK governed call < 400 ns and < 100 B per call: 360 ns, 80 B")
        .contains("MISSED        SDK within 2x of Resilience4j + Bucket4j: 360 ns vs 120 ns = 3x (the caller's side"
            + " alone, whose rate limit is at the callee's door: 220 ns = 1.83x)");
    assertThat(report.markdown())
        .contains("| GovernedCallBenchmark.tenantryGoverned [metrics=stats, tracing=default] | 2000 | 1.50 | 1900 |");
  }

  @Test
  void spliceJmh_replacesItsSectionInPlaceAndTheSdkTargetsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Report report = jmhReport(dir, jmh("CallCostBenchmark.sentinel", 435, 800),
        jmh("CallCostBenchmark.resilience4jBucket4j", 120, 190),
        jmh("GovernedCallBenchmark.tenantryGoverned", 360, 80, "stats", "none"));
    String existing = String.join("\n", "# Benchmarks", "", "## Targets of issue 3", "", "```",
        "MET           heartbeat@1000 per server CPU-second >= 2x Eureka: 35293 vs 5581 = 6.32x",
        "MET           SDK governed call < 400 ns and < 100 B per call: 340 ns, 72.0 B",
        "MET           SDK faster than Sentinel with rules: 340 ns vs 592 ns",
        "MISSED        SDK within 2x of Resilience4j + Bucket4j: 340 ns vs 116 ns = 2.93x", "```", "",
        Report.JMH_HEADING, "", "| old table |", "", "## Noisy neighbour (issue 4)", "", "kept", "");

    String spliced = report.spliceJmh(existing, "Measured now by `bench/run.sh --jmh`.");

    assertThat(spliced).contains("heartbeat@1000 per server CPU-second >= 2x Eureka: 35293")
        .contains("MET           SDK governed call < 400 ns and < 100 B per call: 360 ns, 80 B")
        .contains("MISSED        SDK within 2x of Resilience4j + Bucket4j: 360 ns vs 120 ns = 3x")
        .doesNotContain("340 ns").doesNotContain("| old table |")
        .contains("Measured now by `bench/run.sh --jmh`.")
        .contains("| GovernedCallBenchmark.tenantryGoverned [metrics=stats, tracing=none] | 360 |");
    assertThat(spliced.indexOf(Report.JMH_HEADING)).isLessThan(spliced.indexOf("## Noisy neighbour"));
    assertThat(spliced.indexOf("heartbeat@1000")).isLessThan(spliced.indexOf("SDK governed call"));
    assertThat(spliced).endsWith("kept\n\n");
  }

  /** A report of no other figures over JMH results made of {@code rows} (each a result's JSON). */
  private static Report jmhReport(java.nio.file.Path dir, String... rows) throws java.io.IOException {
    java.nio.file.Path json = dir.resolve("jmh.json");
    java.nio.file.Files.writeString(json, "[" + String.join(",", rows) + "]");
    return new Report(List.of(), "full", "bench/run.sh", List.of(), json, null, null, "now");
  }

  private static String jmh(String name, double ns, double bytes, String metrics, String tracing) {
    String row = jmh(name, ns, bytes);
    return row.substring(0, row.length() - 1) + ",\"params\":{\"metrics\":\"" + metrics + "\",\"tracing\":\""
        + tracing + "\"}}";
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

  private static List<Figure> ingest(double tenantryPerCpu, double zipkinPerCpu, double tenantryP99, double zipkinP99) {
    String s = "ingest.batch50";
    return List.of(
        f("tenantry", s, "spans_per_s", 50_000, "1/s"), f("zipkin", s, "spans_per_s", 45_000, "1/s"),
        f("tenantry", s, "spans_per_cpu_s", tenantryPerCpu, "1/cpu-s"), f("zipkin", s, "spans_per_cpu_s", zipkinPerCpu, "1/cpu-s"),
        f("tenantry", s, "p99_ms", tenantryP99, "ms"), f("zipkin", s, "p99_ms", zipkinP99, "ms"),
        f("tenantry", s, "spans_dropped", 0, ""), f("zipkin", s, "spans_dropped", 0, ""),
        f("tenantry", s, "readback_missing_spans", 0, ""), f("tenantry", s, "readback_traces", 200, ""),
        f("tenantry", "ingest.setup", "spans_per_post", 50, ""), f("tenantry", "ingest.setup", "max_spans", 100_000, ""),
        f("tenantry", "heartbeat@1000", "ops_per_s", 9, "1/s"));
  }

  @Test
  void ingest_hasItsOwnSection_withRatiosAndTheBarOfIssue5() throws Exception {
    Report report = new Report(ingest(60_000, 40_000, 150, 200), "full", "bench/run.sh", List.of(), null, null, null,
        "now");

    assertThat(report.rows()).extracting(Report.Row::scenario).containsExactly("heartbeat@1000");
    assertThat(report.markdown()).contains(SpanIngestReport.HEADING, "batches of 50 spans", "at most 100,000 spans",
        "| spans per server CPU-second (median) | 60000 | 40000 | 1.50× |", "| p99 of an accepted POST, ms (median) | 150 | 200 | 0.750× |",
        "MET           spans per server CPU-second at least Zipkin's, tenant scoping on: 60000 vs 40000 = 1.50x",
        "MET           p99 of an accepted POST below Zipkin's: 150 ms vs 200 ms",
        "MET           no span dropped (shed with 503, or accepted and lost): 0 dropped, 0 missing");
    assertThat(new Report(ingest(30_000, 40_000, 250, 200), "full", "c", List.of(), null, null, null, "now").markdown())
        .contains("MISSED        spans per server CPU-second", "MISSED        p99 of an accepted POST below Zipkin's");
  }

  @Test
  void spliceIngest_replacesOnlyItsSectionAndTheNotes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path notes = dir.resolve("NOTES.md");
    java.nio.file.Files.writeString(notes, "## Analysis (hand-written)\n\nnew notes\n");
    String old = "# Benchmarks\n\nheader of the full run\n\n## Policy propagation (issue 4)\n\npolicy table\n\n"
        + "## Analysis (hand-written)\n\nold notes\n";
    Report report = new Report(ingest(60_000, 40_000, 150, 200), "full", "bench/run.sh --ingest", List.of(), null, notes,
        null, "now");

    String once = report.spliceIngest(old, "Measured today.");
    assertThat(once).startsWith("# Benchmarks\n\nheader of the full run\n\n## Policy propagation (issue 4)\n\npolicy table\n\n"
        + SpanIngestReport.HEADING + "\n\nMeasured today.\n\n").contains("60000").endsWith("## Analysis (hand-written)\n\nnew notes\n")
        .doesNotContain("old notes");
    String twice = new Report(ingest(70_000, 40_000, 150, 200), "full", "c", List.of(), null, notes, null, "now")
        .spliceIngest(once, "Measured again.");
    assertThat(twice).contains("70000", "Measured again.").doesNotContain("60000", "Measured today.")
        .containsOnlyOnce(SpanIngestReport.HEADING).containsOnlyOnce("policy table").containsOnlyOnce("new notes");
  }

  private static List<Figure> tx(double tenantryEmpty, double seataEmpty) {
    return List.of(
        f("tenantry", "tx.empty@16", "tx_per_s", tenantryEmpty, "tx/s"),
        f("tenantry", "tx.empty@16", "tx_per_cpu_s", 9_000, "tx per server CPU-s"),
        f("tenantry", "tx.tcc2@16", "tx_per_s", 900, "tx/s"),
        f("seata", "tx.empty@16", "tx_per_s", seataEmpty, "tx/s"),
        f("seata", "tx.empty@16", "tx_per_cpu_s", 12_000, "tx per server CPU-s"),
        f("seata", "tx.tcc2@16", "tx_per_s", 1_500, "tx/s"),
        f("seata-db", "tx.empty@16", "tx_per_s", 2_000, "tx/s"));
  }

  @Test
  void transactions_haveTheirOwnSection_withRatiosDurabilityAndTheBar() throws Exception {
    Report report = new Report(tx(18_000, 15_000), "full", "bench/run.sh --tx",
        List.of("tx-tenantry-pg: java.io.IOException: no database"), null, null, null, "now");

    assertThat(report.rows()).isEmpty();
    String md = report.markdown();
    assertThat(md).contains(TxReport.HEADING, "| empty@16 | Tenantry, embedded H2 store | 18000 | 9000 |",
        "| empty@16 | tenantry / seata | 1.20× | 0.750× |", "| tcc2@16 | tenantry / seata | 0.600× | - |",
        "MET           tx.empty@16 tx/s at least Seata's (file store): 18000 vs 15000 = 1.20x",
        "- tx-tenantry-pg: java.io.IOException: no database", "appended to the coordinator's journal", "`FileChannel.force`")
        .doesNotContain("tenantry-pg / seata-db");
    assertThat(TxReport.targets(tx(10_000, 15_000))).containsExactly(
        "MISSED        tx.empty@16 tx/s at least Seata's (file store): 10000 vs 15000 = 0.667x");
  }

  @Test
  void spliceTx_replacesOnlyItsSection_whereItStands() throws Exception {
    String old = "# Benchmarks\n\nheader\n\n" + TxReport.HEADING + "\n\nold tx\n\n## Policy propagation (issue 4)\n\n"
        + "policy table\n";
    String spliced = new Report(tx(18_000, 15_000), "full", "c", List.of(), null, null, null, "now")
        .spliceTx(old, "Measured today.");
    assertThat(spliced).startsWith("# Benchmarks\n\nheader\n\n" + TxReport.HEADING + "\n\nMeasured today.\n\n")
        .endsWith("## Policy propagation (issue 4)\n\npolicy table\n\n").doesNotContain("old tx")
        .containsOnlyOnce(TxReport.HEADING);
  }
}
