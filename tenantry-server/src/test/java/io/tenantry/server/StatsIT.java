package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.stats.LatencyBuckets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics API over real HTTP: a service key posts reports of its namespace, a viewer reads RED figures;
 * every malformed, oversized, hostile or misplaced report is a problem+json 4xx that counts nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsIT {
  @TempDir
  static Path dataDir;
  ServerFixture f;
  String service;
  String viewer;
  String otherService;
  String stats;

  @BeforeAll
  void start() {
    f = ServerFixture.start(dataDir);
    f.namespace("shop");
    f.namespace("rival");
    service = f.key("shop", "service");
    viewer = f.key("shop", "viewer");
    otherService = f.key("rival", "service");
    stats = ApiPaths.expand(ApiPaths.STATS, "shop");
  }

  @AfterAll
  void stop() {
    f.close();
  }

  static long[] latency(long micros, long n) {
    long[] h = new long[LatencyBuckets.COUNT];
    h[LatencyBuckets.bucketOf(micros)] = n;
    return h;
  }

  static Map<String, Object> entry(String service, String tenant, long calls, long errors, long rejections,
      long retries, long[] latency) {
    Map<String, Object> e = new HashMap<>();
    if (service != null) {
      e.put("service", service);
    }
    if (tenant != null) {
      e.put("tenant", tenant);
    }
    e.put("calls", calls);
    e.put("errors", errors);
    e.put("rejections", rejections);
    e.put("retries", retries);
    e.put("latency", latency);
    return e;
  }

  static Map<String, Object> report(String service, List<?> served, List<?> called) {
    return Map.of("service", service, "instance", "inv-1", "served", served, "called", called);
  }

  private JsonNode row(JsonNode page, String service, String tenant) {
    for (JsonNode r : page.path("rows")) {
      if (r.path("service").asText().equals(service) && (tenant == null ? r.path("tenant").isNull()
          : r.path("tenant").asText().equals(tenant))) {
        return r;
      }
    }
    throw new AssertionError("no row " + service + "/" + tenant + " in " + page);
  }

  @Test
  void report_isCounted_andReadAsRed_perServiceAndTenant_fromBothSides() {
    JsonNode receipt = f.as(service).post(stats, report("inventory", List.of(
            entry(null, "acme", 100, 5, 10, 0, latency(4_000, 90)),
            entry(null, "globex", 20, 0, 0, 0, latency(900, 20))),
        List.of(entry("warehouse", "acme", 30, 3, 0, 6, latency(20_000, 36))))).expect(202).json();
    assertThat(receipt.path("accepted").asInt()).isEqualTo(3);
    assertThat(receipt.path("dropped").asInt()).isZero();
    f.as(service).post(stats, report("checkout", List.of(), List.of(entry("inventory", "acme", 50, 1, 2, 4,
        latency(5_000, 54))))).expect(202);

    JsonNode page = f.as(viewer).get(stats + "?window=1m").expect(200).json();
    assertThat(page.path("window").asText()).isEqualTo("1m");
    JsonNode acme = row(page, "inventory", "acme");
    assertThat(acme.path("served").path("calls").asLong()).isEqualTo(100);
    assertThat(acme.path("served").path("errors").asLong()).isEqualTo(5);
    assertThat(acme.path("served").path("errorRate").asDouble()).isEqualTo(Math.round(5.0 / 90 * 10_000) / 10_000.0);
    assertThat(acme.path("served").path("rejections").asLong()).isEqualTo(10);
    assertThat(acme.path("served").path("p99Millis").asDouble())
        .isEqualTo(LatencyBuckets.boundMicros(LatencyBuckets.bucketOf(4_000)) / 1000.0);
    assertThat(acme.path("called").path("calls").asLong()).isEqualTo(50);
    assertThat(acme.path("called").path("retries").asLong()).isEqualTo(4);
    JsonNode all = row(page, "inventory", null);
    assertThat(all.path("served").path("calls").asLong()).isEqualTo(120);
    assertThat(all.path("served").path("ratePerSecond").asDouble()).isEqualTo(2.0);
    assertThat(row(page, "warehouse", "acme").path("called").path("errors").asLong()).isEqualTo(3);

    JsonNode one = f.as(viewer).get(stats + "?service=inventory&tenant=globex&window=5m&limit=5").expect(200).json();
    assertThat(one.path("rows")).hasSize(2);
    assertThat(row(one, "inventory", "globex").path("served").path("calls").asLong()).isEqualTo(20);

    String metrics = f.anonymous().get(ApiPaths.METRICS).expect(200).body();
    assertThat(metrics).containsPattern("tenantry_stats_reports_total\\{result=\"accepted\"} [1-9]");
    assertThat(metrics).contains("tenantry_stats_entries_total{result=\"accepted\"}");
  }

  @Test
  void credentials_serviceWritesItsOwnNamespace_viewerReads_othersSeeNothing() {
    Map<String, Object> ok = report("inventory", List.of(entry(null, "acme", 1, 0, 0, 0, latency(100, 1))), List.of());
    assertThat(f.anonymous().post(stats, ok).status()).isEqualTo(401);
    assertThat(f.as(viewer).post(stats, ok).status()).isEqualTo(403);
    assertThat(f.as(otherService).post(stats, ok).status()).isEqualTo(404);
    assertThat(f.as(otherService).get(stats).status()).isEqualTo(404);
    assertThat(f.anonymous().get(stats).status()).isEqualTo(401);
    assertThat(f.as(service).get(stats).status()).isEqualTo(200);
    assertThat(f.admin().post(ApiPaths.expand(ApiPaths.STATS, "nowhere"), ok).status()).isEqualTo(404);
    // the rival's own namespace holds nothing of shop's
    f.as(otherService).post(ApiPaths.expand(ApiPaths.STATS, "rival"), ok).expect(202);
    JsonNode rival = f.as(otherService).get(ApiPaths.expand(ApiPaths.STATS, "rival")).expect(200).json();
    assertThat(rival.path("rows")).allSatisfy(r -> assertThat(r.path("served").path("calls").asLong()).isEqualTo(1));
  }

  @Test
  void malformedOrHostileReports_are400WithTheField_andCountNothing() {
    long[] ok = latency(100, 1);
    Map<String, Object[]> bad = new java.util.LinkedHashMap<>();
    bad.put("tenant", new Object[] {report("inventory", List.of(entry(null, "../../etc", 1, 0, 0, 0, ok)), List.of())});
    bad.put("service", new Object[] {report("Inventory!", List.of(), List.of())});
    bad.put("latency", new Object[] {report("inventory", List.of(entry(null, "acme", 1, 0, 0, 0, new long[3])), List.of())});
    bad.put("calls", new Object[] {report("inventory", List.of(entry(null, "acme", -1, 0, 0, 0, ok)), List.of())});
    bad.put("calls ", new Object[] {report("inventory", List.of(entry(null, "acme", 1, 2, 0, 0, ok)), List.of())});
    bad.put("latency[]", new Object[] {report("inventory", List.of(entry(null, "acme", 1, 0, 0, 0,
        latency(100, -5))), List.of())});
    bad.put("served[].service", new Object[] {report("inventory", List.of(entry("other", "acme", 1, 0, 0, 0, ok)),
        List.of())});
    bad.put("called[].service", new Object[] {report("inventory", List.of(), List.of(entry(null, "acme", 1, 0, 0, 0,
        ok)))});
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 201; i++) {
      many.add(entry(null, "t" + i, 1, 0, 0, 0, ok));
    }
    bad.put("served", new Object[] {report("inventory", many, List.of())});
    for (Map.Entry<String, Object[]> b : bad.entrySet()) {
      ServerFixture.Response r = f.as(service).post(stats, b.getValue()[0]);
      assertThat(r.status()).as(b.getKey()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().path("field").asText()).as(b.getKey()).isEqualTo(b.getKey().trim());
    }
    for (String body : List.of("{", "[]", "null", "{\"served\":[null],\"service\":\"x\"}", "{\"served\":{}}",
        "{\"bogus\":1}", "{\"served\":[{\"tenant\":\"acme\",\"calls\":\"many\",\"latency\":[]}]}")) {
      ServerFixture.Response r = f.as(service).send("POST", stats, body, "application/json");
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().path("type").asText()).endsWith("/invalid-input");
    }
    assertThat(f.as(service).send("POST", stats, "calls=1", "text/plain").status()).isEqualTo(415);
    assertThat(f.raw("POST", stats, service, 10_000_000).status()).isEqualTo(413);
    JsonNode page = f.as(viewer).get(stats + "?window=1h").expect(200).json();
    assertThat(page.toString()).doesNotContain("etc").doesNotContain("Inventory");
    assertThat(f.anonymous().get(ApiPaths.METRICS).body())
        .containsPattern("tenantry_stats_reports_total\\{result=\"refused\"} [1-9]");
  }

  @Test
  void byInstance_showsWhatEachReportingInstanceServed() {
    for (String[] i : new String[][] {{"pay-1", "0"}, {"pay-2", "6"}}) {
      f.as(service).post(stats, Map.of("service", "payment", "instance", i[0], "served", List.of(
          entry(null, "acme", 8, Long.parseLong(i[1]), 0, 0, latency(1_000, 8)),
          entry(null, "globex", 2, 0, 0, 0, latency(1_000, 2))), "called", List.of())).expect(202);
    }

    JsonNode page = f.as(viewer).get(stats + "?service=payment&by=instance&window=1m").expect(200).json();
    assertThat(page.path("rows")).extracting(r -> r.path("instance").asText()).containsExactly("pay-1", "pay-2");
    JsonNode two = page.path("rows").path(1);
    assertThat(two.path("served").path("calls").asLong()).isEqualTo(10);
    assertThat(two.path("served").path("errorRate").asDouble()).isEqualTo(0.6);
    assertThat(two.path("called").path("calls").asLong()).isZero();
    assertThat(two.path("tenant").isNull()).isTrue();

    JsonNode globex = f.as(viewer).get(stats + "?service=payment&tenant=globex&by=instance&limit=1").expect(200).json();
    assertThat(globex.path("rows")).singleElement().satisfies(r -> {
      assertThat(r.path("tenant").asText()).isEqualTo("globex");
      assertThat(r.path("served").path("calls").asLong()).isEqualTo(2);
    });
    // the default view is unchanged: no instance in its rows, the service's calls counted once
    JsonNode byTenant = f.as(viewer).get(stats + "?service=payment&window=1m").expect(200).json();
    assertThat(byTenant.path("rows").path(0).has("instance")).isFalse();
    assertThat(row(byTenant, "payment", null).path("served").path("calls").asLong()).isEqualTo(20);
    assertThat(f.as(otherService).get(ApiPaths.expand(ApiPaths.STATS, "rival") + "?by=instance").expect(200).json()
        .path("rows")).extracting(r -> r.path("service").asText()).doesNotContain("payment");
  }

  @Test
  void badQueries_are400WithTheParameter() {
    for (String q : List.of("window=5x", "window=2h", "window=1s", "window=", "service=UPPER", "service=..%2F",
        "tenant=a%00b", "limit=0", "limit=1001", "limit=ten", "by=host", "by=", "by=" + "i".repeat(5000))) {
      ServerFixture.Response r = f.as(viewer).get(stats + "?" + q);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(r.json().path("field").asText()).as(q).isEqualTo(q.substring(0, q.indexOf('=')));
    }
    assertThat(f.as(viewer).get(stats + "?tenant=_other").status()).isEqualTo(200);
  }
}
