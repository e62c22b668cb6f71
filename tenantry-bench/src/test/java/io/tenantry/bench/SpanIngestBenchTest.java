package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import io.tenantry.server.trace.TraceSettings;
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
 * The ingest driver works against Tenantry's real collector (in-process, memory storage, a retention the
 * warm-up overfills): every figure comes out, nothing is dropped or missing when read back. Zipkin's side
 * runs only in bench/run.sh (its server takes seconds to start); in one process the CPU figures count the
 * driver too.
 */
class SpanIngestBenchTest {
  private static final String KEY = "tnt_bench_ingest_0123456789abcdef";

  @TempDir
  Path data;

  @Test
  void ingest_measuresEveryFigure_andKeepsEverySpan() throws Exception {
    SpanIngestBench.Settings settings = new SpanIngestBench.Settings(2, 10, 200, 0, Duration.ofMillis(400),
        Duration.ofMillis(400), 2, 20);
    ServerConfig config = ServerConfig.newBuilder().host("127.0.0.1").port(0).dataDir(data).adminKey(KEY)
        .trace(TraceSettings.defaults().withStorage(TraceSettings.Storage.MEMORY).withMaxSpans(settings.maxSpans()))
        .build();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
      TenantryAdmin admin = new TenantryAdmin(new InetSocketAddress("127.0.0.1", server.port()), KEY);
      admin.createNamespace("bench");
      String auth = "Bearer " + admin.createKey("bench", "span-ingest", "service");
      Results results = new Results(log, null);

      new SpanIngestBench(settings, results, log).run(List.of(SpanCollector.tenantry(admin.address(),
          ProcessHandle.current().pid(), auth)), 0x5eed, System.currentTimeMillis() * 1000);

      String s = settings.scenario();
      for (String metric : List.of("spans_per_s", "spans_per_cpu_s", "p50_ms", "p99_ms", "p99_all_ms", "spans_sent")) {
        assertThat(results.find("tenantry", s, metric)).as(metric + " " + out)
            .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      }
      for (String metric : List.of("spans_dropped", "posts_refused", "errors", "readback_missing_spans")) {
        assertThat(results.find("tenantry", s, metric)).as(metric + " " + out)
            .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      }
      assertThat(results.find("tenantry", s, "readback_traces")).hasValueSatisfying(f -> assertThat(f.value())
          .isEqualTo(settings.readbackTraces()));
      assertThat(out.toString()).as("the warm-up overfills the retention").doesNotContain("did not fill");
      assertThat(SpanIngestReport.markdown(results.figures(), null)).contains(SpanIngestReport.HEADING,
          "NOT MEASURED  spans per server CPU-second", "MET           no span dropped (shed with 503, or accepted and lost)");
    }
  }
}
