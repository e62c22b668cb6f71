package io.tenantry.server;

import static io.tenantry.server.TraceIT.nowMicros;
import static io.tenantry.server.TraceIT.rpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.server.trace.TraceSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/** Where the collector keeps spans: across restarts, within retention by age and size, and shedding when full. */
class TraceStorageIT {
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  @TempDir
  Path dataDir;

  static ServerFixture.Response post(ServerFixture f, String key, List<Span> spans) {
    return f.as(key).send("POST", "/api/v2/spans",
        new String(SpanBytesEncoder.JSON_V2.encodeList(spans), StandardCharsets.UTF_8), "application/json");
  }

  static int status(ServerFixture f, String key, String traceId) {
    return f.as(key).get("/api/v2/trace/" + traceId).status();
  }

  static List<Span> read(ServerFixture f, String key, String traceId) {
    return SpanBytesDecoder.JSON_V2.decodeList(
        f.as(key).get("/api/v2/trace/" + traceId).expect(200).body().getBytes(StandardCharsets.UTF_8));
  }

  static void awaitStatus(ServerFixture f, String key, String traceId, int expected) {
    await().atMost(Duration.ofSeconds(15)).until(() -> status(f, key, traceId) == expected);
  }

  @Test
  void storeMode_keepsTracesAcrossRestart_evenJustAccepted() {
    try (ServerFixture f = ServerFixture.start(dataDir)) {
      f.namespace("shop");
      String service = f.key("shop", "service");
      String viewer = f.key("shop", "viewer");
      List<Span> one = rpc("00000000000000000000000000001001", "acme", nowMicros());
      List<Span> two = rpc("00000000000000000000000000001002", "globex", nowMicros());
      post(f, service, one).expect(202);
      post(f, service, two).expect(202);

      f.restart(); // a clean stop stores what it accepted

      assertThat(read(f, viewer, "00000000000000000000000000001001")).containsExactlyInAnyOrderElementsOf(one);
      assertThat(read(f, viewer, "00000000000000000000000000001002")).containsExactlyInAnyOrderElementsOf(two);
      assertThat(f.as(viewer).get("/api/v2/services").json()).hasSize(2);
    }
  }

  @Test
  void memoryMode_forgetsOnRestart() {
    ServerConfig config = ServerFixture.config(dataDir).trace(t -> t.withStorage(TraceSettings.Storage.MEMORY)).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      String service = f.key("shop", "service");
      post(f, service, rpc("00000000000000000000000000001101", "acme", nowMicros())).expect(202);
      awaitStatus(f, service, "00000000000000000000000000001101", 200);

      f.restart();

      assertThat(status(f, service, "00000000000000000000000000001101")).isEqualTo(404);
    }
  }

  @Test
  void retentionByAge_forgetsOldSpans_alsoAfterRestart() {
    ServerConfig config = ServerFixture.config(dataDir).trace(t -> t.withRetention(Duration.ofSeconds(2))).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      String service = f.key("shop", "service");
      post(f, service, rpc("00000000000000000000000000001201", "acme", nowMicros())).expect(202);
      awaitStatus(f, service, "00000000000000000000000000001201", 200);

      awaitStatus(f, service, "00000000000000000000000000001201", 404);
      assertThat(f.anonymous().get("/metrics").body()).contains("tenantry_spans_evicted_total{reason=\"age\"} 2.0");
      f.restart();

      assertThat(status(f, service, "00000000000000000000000000001201")).isEqualTo(404);
    }
  }

  @Test
  void retentionBySize_evictsTheOldestTracesOfTheLargestNamespace() {
    ServerConfig config = ServerFixture.config(dataDir)
        .trace(t -> t.withStorage(TraceSettings.Storage.MEMORY).withMaxSpans(5)).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      f.namespace("quiet");
      String shop = f.key("shop", "service");
      String quiet = f.key("quiet", "service");
      post(f, quiet, rpc("00000000000000000000000000001300", "acme", nowMicros()).subList(0, 1)).expect(202);
      awaitStatus(f, quiet, "00000000000000000000000000001300", 200);
      post(f, shop, rpc("00000000000000000000000000001301", "acme", nowMicros())).expect(202);
      post(f, shop, rpc("00000000000000000000000000001302", "acme", nowMicros())).expect(202);
      awaitStatus(f, shop, "00000000000000000000000000001302", 200);
      assertThat(status(f, shop, "00000000000000000000000000001301")).isEqualTo(200);

      post(f, shop, rpc("00000000000000000000000000001303", "acme", nowMicros())).expect(202);

      awaitStatus(f, shop, "00000000000000000000000000001303", 200);
      assertThat(status(f, shop, "00000000000000000000000000001301")).isEqualTo(404);
      assertThat(status(f, shop, "00000000000000000000000000001302")).isEqualTo(200);
      assertThat(status(f, quiet, "00000000000000000000000000001300")).isEqualTo(200);
      assertThat(f.anonymous().get("/metrics").body()).contains("tenantry_spans_evicted_total{reason=\"size\"} 2.0");
    }
  }

  /**
   * A lock on the spans table stalls the write-behind: the intake fills and further POSTs answer 503 with
   * Retry-After while queries still answer; once the lock goes, every accepted span is stored, none lost.
   */
  @Test
  void fullIntake_answers503_thenRecovers_withoutLosingAcceptedSpans() throws Exception {
    String schema = "trace_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    ServerConfig config = ServerFixture.config(dataDir).storeUrl(PG).storeUser("postgres").storeSchema(schema)
        .trace(t -> t.withIntakeSpans(4)).build();
    try (ServerFixture f = ServerFixture.start(config);
         Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      f.namespace("shop");
      String service = f.key("shop", "service");
      post(f, service, rpc("00000000000000000000000000001401", "acme", nowMicros())).expect(202);
      List<Span> five = TraceIT.concat(rpc("00000000000000000000000000001499", "acme", nowMicros()),
          rpc("00000000000000000000000000001498", "acme", nowMicros()), rpc("00000000000000000000000000001497", "a", 1).subList(0, 1));
      assertThat(post(f, service, five).expect(413).json().path("detail").asText()).contains("at most 4");
      await().atMost(Duration.ofSeconds(15)).until(() -> count(c, schema) == 2);

      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("LOCK TABLE " + schema + ".spans IN ACCESS EXCLUSIVE MODE");
      }
      List<Span> blocked = rpc("00000000000000000000000000001402", "acme", nowMicros());
      List<Span> queued = rpc("00000000000000000000000000001403", "acme", nowMicros());
      post(f, service, blocked).expect(202);
      post(f, service, queued).expect(202);
      Span late = rpc("00000000000000000000000000001404", "acme", nowMicros()).get(0);
      ServerFixture.Response shed = post(f, service, List.of(late));

      assertThat(shed.status()).isEqualTo(503);
      assertThat(shed.headers().get("retry-after")).containsExactly("1");
      assertThat(shed.contentType()).startsWith("application/problem+json");
      assertThat(post(f, service, rpc("00000000000000000000000000001405", "a", nowMicros()).subList(0, 1)).status())
          .isEqualTo(503);
      awaitStatus(f, service, "00000000000000000000000000001403", 200); // queries answer from memory meanwhile
      assertThat(f.anonymous().get("/metrics").body())
          .contains("tenantry_spans_refused_total{namespace=\"shop\"} 2.0")
          .contains("tenantry_spans_intake 4.0");

      c.rollback(); // the lock goes
      c.setAutoCommit(true);
      await().atMost(Duration.ofSeconds(15)).until(() -> post(f, service, List.of(late)).status() == 202);
      await().atMost(Duration.ofSeconds(15)).until(() -> count(c, schema) == 7);

      f.restart();
      assertThat(read(f, service, "00000000000000000000000000001402")).containsExactlyInAnyOrderElementsOf(blocked);
      assertThat(read(f, service, "00000000000000000000000000001403")).containsExactlyInAnyOrderElementsOf(queued);
      assertThat(read(f, service, "00000000000000000000000000001404")).containsExactly(late);
    } finally {
      try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  static long count(Connection c, String schema) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".spans")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
