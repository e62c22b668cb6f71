package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.DependencyLink;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.codec.DependencyLinkBytesDecoder;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.AsyncReporter;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The trace collector over real HTTP: Zipkin's own reporter posts to the ingest URL, Zipkin's own codec reads
 * every query answer, namespaces and tenants stay apart, and bad input is refused with a problem.
 */
class TraceIT {
  static final String NS = "shop";
  static final Endpoint ORDER = Endpoint.newBuilder().serviceName("order").ip("10.0.0.1").port(8080).build();
  static final Endpoint PAYMENT = Endpoint.newBuilder().serviceName("payment").ip("10.0.0.2").port(8081).build();

  @TempDir
  Path dataDir;
  ServerFixture f;
  String viewer;
  String service;
  String ingest;

  @BeforeEach
  void start() {
    f = ServerFixture.start(ServerFixture.config(dataDir).trace(t -> t.withStorage(
        io.tenantry.server.trace.TraceSettings.Storage.MEMORY)).build());
    f.namespace(NS);
    viewer = f.key(NS, "viewer");
    service = f.key(NS, "service");
    ingest = f.key(NS, "ingest");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  /** A client span of order calling payment and payment's server span, in one trace, for {@code tenant}. */
  static List<Span> rpc(String traceId, String tenant, long startMicros) {
    Span client = Span.newBuilder().traceId(traceId).id("a" + traceId.substring(1, 16)).name("post /pay")
        .kind(Span.Kind.CLIENT).localEndpoint(ORDER).remoteEndpoint(PAYMENT).timestamp(startMicros).duration(20_000)
        .putTag("tenant.id", tenant).putTag("http.method", "POST").addAnnotation(startMicros + 5, "retry ✓ ü")
        .build();
    Span server = Span.newBuilder().traceId(traceId).parentId(client.id()).id("b" + traceId.substring(1, 16))
        .name("pay").kind(Span.Kind.SERVER).localEndpoint(PAYMENT).remoteEndpoint(ORDER)
        .timestamp(startMicros + 1_000).duration(15_000).putTag("tenant.id", tenant).putTag("error", "declined").build();
    return List.of(client, server);
  }

  static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  ServerFixture.Response postJson(String key, List<Span> spans) {
    return f.as(key).send("POST", "/api/v2/spans", new String(SpanBytesEncoder.JSON_V2.encodeList(spans),
        StandardCharsets.UTF_8), "application/json");
  }

  List<Span> trace(String key, String path) {
    ServerFixture.Response r = f.as(key).get(path).expect(200);
    assertThat(r.contentType()).startsWith("application/json");
    return SpanBytesDecoder.JSON_V2.decodeList(r.body().getBytes(StandardCharsets.UTF_8));
  }

  /** A list of traces decoded with Zipkin's codec, trace by trace. */
  static List<List<Span>> traces(ServerFixture.Response r) {
    List<List<Span>> out = new ArrayList<>();
    for (JsonNode trace : r.json()) {
      out.add(SpanBytesDecoder.JSON_V2.decodeList(trace.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  void awaitTrace(String key, String traceId) {
    await().atMost(Duration.ofSeconds(10)).until(() -> f.as(key).get("/api/v2/trace/" + traceId).status() == 200);
  }

  @Test
  void zipkinReporter_postsToIngestUrl_andReadsBackEqual() throws Exception {
    List<Span> sent = rpc("1234567890abcdef1234567890abcdef", "acme", nowMicros());
    String url = f.baseUri() + "/ingest/" + NS + "/" + ingest + "/api/v2/spans";
    try (URLConnectionSender sender = URLConnectionSender.create(url);
         AsyncReporter<Span> reporter = AsyncReporter.builder(sender).messageTimeout(0, TimeUnit.MILLISECONDS)
             .build()) {
      sent.forEach(reporter::report);
      reporter.flush();
    }
    awaitTrace(viewer, "1234567890abcdef1234567890abcdef");

    assertThat(trace(viewer, "/api/v2/trace/1234567890abcdef1234567890abcdef")).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(f.server().baseUri().toString()).doesNotContain(ingest);
  }

  @Test
  void proto3AndGzip_areAccepted() throws Exception {
    List<Span> proto = rpc("00000000000000000000000000000a01", "acme", nowMicros());
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(f.baseUri() + "/api/v2/spans"))
        .header("Authorization", "Bearer " + service).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(SpanBytesEncoder.PROTO3.encodeList(proto))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);

    List<Span> gzipped = rpc("00000000000000000000000000000a02", "acme", nowMicros());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(body)) {
      gz.write(SpanBytesEncoder.JSON_V2.encodeList(gzipped));
    }
    r = http.send(HttpRequest.newBuilder(URI.create(f.baseUri() + "/api/v2/spans"))
        .header("Authorization", "Bearer " + service).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);

    awaitTrace(viewer, "00000000000000000000000000000a01");
    awaitTrace(viewer, "00000000000000000000000000000a02");
    assertThat(trace(viewer, "/api/v2/trace/00000000000000000000000000000a01")).containsExactlyInAnyOrderElementsOf(proto);
    assertThat(trace(viewer, "/api/v2/trace/00000000000000000000000000000a02")).containsExactlyInAnyOrderElementsOf(gzipped);
  }

  @Test
  void everyQuery_answersWhatZipkinsCodecParses() {
    long now = nowMicros();
    List<Span> one = rpc("00000000000000000000000000000b01", "acme", now - 2_000_000);
    List<Span> two = rpc("00000000000000000000000000000b02", "acme", now - 1_000_000);
    postJson(service, concat(one, two)).expect(202);
    awaitTrace(viewer, "00000000000000000000000000000b02");
    ServerFixture.Client v = f.as(viewer);

    assertThat(v.get("/api/v2/services").expect(200).json()).extracting(JsonNode::asText)
        .containsExactly("order", "payment");
    assertThat(v.get("/api/v2/spans?serviceName=order").expect(200).json()).extracting(JsonNode::asText)
        .containsExactly("post /pay");
    assertThat(v.get("/api/v2/remoteServices?serviceName=ORDER").expect(200).json()).extracting(JsonNode::asText)
        .containsExactly("payment");
    assertThat(traces(v.get("/api/v2/traces?serviceName=order&limit=10").expect(200)))
        .containsExactly(two, one); // newest first
    assertThat(traces(v.get("/api/v2/traces?limit=1").expect(200))).containsExactly(two);
    assertThat(traces(v.get("/api/v2/traces?serviceName=payment&spanName=pay&annotationQuery=error%3Ddeclined"
        + "&minDuration=10000&maxDuration=16000").expect(200))).hasSize(2);
    assertThat(traces(v.get("/api/v2/traces?annotationQuery=error%3Dother").expect(200))).isEmpty();
    assertThat(traces(v.get("/api/v2/traces?remoteServiceName=payment&endTs=" + (now / 1000 - 1_500)
        + "&lookback=1000").expect(200))).containsExactly(one);
    assertThat(traces(v.get("/api/v2/traceMany?traceIds=00000000000000000000000000000b01,"
        + "00000000000000000000000000000b02,00000000000000000000000000000bff").expect(200)))
        .containsExactlyInAnyOrder(one, two);

    List<DependencyLink> links = DependencyLinkBytesDecoder.JSON_V1.decodeList(
        v.get("/api/v2/dependencies?endTs=" + (now / 1000 + 1000) + "&lookback=60000").expect(200).body()
            .getBytes(StandardCharsets.UTF_8));
    assertThat(links).containsExactly(DependencyLink.newBuilder().parent("order").child("payment").callCount(2)
        .errorCount(2).build());

    assertThat(v.get("/api/v2/autocompleteKeys").expect(200).json()).extracting(JsonNode::asText).contains("tenant.id");
    assertThat(v.get("/api/v2/autocompleteValues?key=tenant.id").expect(200).json()).extracting(JsonNode::asText)
        .containsExactly("acme");
    v.get("/api/v2/trace/00000000000000000000000000000bff").expect(404);
  }

  @Test
  void tenantFilter_neverReturnsAnotherTenantsSpans() {
    long now = nowMicros();
    // one trace that crosses tenants (a shared hop), and one trace per tenant
    List<Span> acme = rpc("00000000000000000000000000000c01", "acme", now);
    List<Span> globex = rpc("00000000000000000000000000000c02", "globex", now);
    Span sharedHop = acme.get(0).toBuilder().id("cccccccccccccc01").putTag("tenant.id", "globex").build();
    postJson(service, concat(acme, globex, List.of(sharedHop))).expect(202);
    awaitTrace(viewer, "00000000000000000000000000000c02");
    ServerFixture.Client v = f.as(viewer);

    List<List<Span>> acmeTraces = traces(v.get("/api/v2/traces?tenant=acme").expect(200));
    assertThat(acmeTraces).containsExactly(acme);
    assertThat(trace(viewer, "/api/v2/trace/00000000000000000000000000000c01?tenant=globex")).containsExactly(sharedHop);
    v.get("/api/v2/trace/00000000000000000000000000000c02?tenant=acme").expect(404);
    assertThat(traces(v.get("/api/v2/traceMany?tenant=globex&traceIds=00000000000000000000000000000c01,"
        + "00000000000000000000000000000c02").expect(200))).flatMap(t -> t)
        .allSatisfy(s -> assertThat(s.tags()).containsEntry("tenant.id", "globex"));
    assertThat(v.get("/api/v2/autocompleteValues?key=tenant.id&tenant=acme").json()).extracting(JsonNode::asText)
        .containsExactly("acme");
    assertThat(v.get("/api/v2/services?tenant=nobody").expect(200).json()).isEmpty();
    v.get("/api/v2/traces?tenant=Not_A_Name").expect(400);
  }

  @Test
  void otherNamespace_seesNothing_andCannotPost() {
    postJson(service, rpc("00000000000000000000000000000d01", "acme", nowMicros())).expect(202);
    awaitTrace(viewer, "00000000000000000000000000000d01");
    f.namespace("other");
    String otherViewer = f.key("other", "viewer");
    String otherIngest = f.key("other", "ingest");

    f.as(otherViewer).get("/api/v2/trace/00000000000000000000000000000d01").expect(404);
    assertThat(f.as(otherViewer).get("/api/v2/services").expect(200).json()).isEmpty();
    f.as(otherViewer).get("/api/v2/services?namespace=" + NS).expect(404);
    f.as(otherViewer).get("/api/v2/traces?namespace=" + NS).expect(404);
    ServerFixture.Response r = f.anonymous().send("POST", "/ingest/" + NS + "/" + otherIngest + "/api/v2/spans",
        "[]", "application/json").expect(404);
    assertThat(r.body()).doesNotContain(otherIngest);
    // a platform admin names the namespace, and must
    f.admin().get("/api/v2/trace/00000000000000000000000000000d01?namespace=" + NS).expect(200);
    f.admin().get("/api/v2/services").expect(400);
    f.admin().get("/api/v2/services?namespace=nope").expect(404);
  }

  @Test
  void ingestKey_mayOnlyPostSpans() {
    ServerFixture.Client in = f.as(ingest);
    postJson(ingest, rpc("00000000000000000000000000000e01", "acme", nowMicros())).expect(202);
    for (String route : f.server().routes()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1)
          .replace("{namespace}", NS).replaceAll("\\{[^}]+}", "x1");
      boolean anonymous = !path.startsWith("/api/") && !path.startsWith("/ingest/") || path.endsWith("openapi.yaml");
      if (anonymous || route.equals("POST /api/v2/spans") || path.startsWith("/ingest/")) {
        continue;
      }
      int status = in.send(method, path, "{}", "application/json").status();
      assertThat(status).as(route).isIn(403, 404);
    }
    f.as(viewer).send("POST", "/api/v2/spans", "[]", "application/json").expect(403);
    // an ingest URL takes only ingest keys: a service key in a URL would leak more than spans
    f.anonymous().send("POST", "/ingest/" + NS + "/" + service + "/api/v2/spans", "[]", "application/json").expect(403);
    ServerFixture.Response bad = f.anonymous().send("POST", "/ingest/" + NS + "/tnt_0123456789abcdef_nope/api/v2/spans",
        "[]", "application/json").expect(401);
    assertThat(bad.body()).doesNotContain("tnt_0123456789abcdef_nope").contains("/ingest/" + NS + "/***/api/v2/spans");
  }

  @Test
  void badInput_isRefusedWithAProblem_andLosesNothingElse() {
    String good = "00000000000000000000000000000f01";
    ServerFixture.Client s = f.as(service);
    Map<String, String> bodies = Map.of(
        "not json", "{{{",
        "an object, not a list", "{\"traceId\":\"" + good + "\",\"id\":\"0000000000000001\"}",
        "no traceId", "[{\"id\":\"0000000000000001\",\"name\":\"x\"}]",
        "a bad id", "[{\"traceId\":\"" + good + "\",\"id\":\"xyz\"}]",
        "a traceId too long", "[{\"traceId\":\"" + good + "ab\",\"id\":\"0000000000000001\"}]",
        "deep nesting", "[" + "[".repeat(100_000) + "]".repeat(100_000) + "]",
        "empty", "");
    bodies.forEach((what, body) -> {
      ServerFixture.Response r = s.send("POST", "/api/v2/spans", body, "application/json");
      assertThat(r.status()).as(what).isEqualTo(400);
      assertThat(r.contentType()).as(what).startsWith("application/problem+json");
      assertThat(r.json().path("detail").asText()).as(what).isNotBlank();
    });
    Span huge = rpc(good, "acme", nowMicros()).get(0).toBuilder().putTag("sql", "x".repeat(70_000)).build();
    ServerFixture.Response tooLong = postJson(service, List.of(huge)).expect(400);
    assertThat(tooLong.json().path("detail").asText()).contains("tag 'sql'").contains("65536");
    s.send("POST", "/api/v2/spans", "[]", "text/plain").expect(415);
    s.send("POST", "/api/v2/spans", "[]", "application/json", Map.of("Content-Encoding", "br")).expect(415);

    // nothing of a refused batch is kept, and a good batch after it is whole
    List<Span> ok = rpc(good, "acme", nowMicros());
    postJson(service, ok).expect(202);
    awaitTrace(viewer, good);
    assertThat(trace(viewer, "/api/v2/trace/" + good)).containsExactlyInAnyOrderElementsOf(ok);
    postJson(service, List.of()).expect(202);

    ServerFixture.Client v = f.as(viewer);
    for (String query : List.of("/api/v2/spans", "/api/v2/remoteServices", "/api/v2/autocompleteValues",
        "/api/v2/traceMany", "/api/v2/traceMany?traceIds=zz", "/api/v2/trace/not-hex", "/api/v2/dependencies",
        "/api/v2/dependencies?endTs=x", "/api/v2/traces?limit=0", "/api/v2/traces?lookback=-5",
        "/api/v2/traces?minDuration=abc", "/api/v2/traces?maxDuration=10", "/api/v2/traces?namespace=Bad_Name")) {
      ServerFixture.Response r = v.get(query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.contentType()).as(query).startsWith("application/problem+json");
    }
  }

  @Test
  void oversizedBodies_answer413() throws IOException, InterruptedException {
    // a million spans, gzipped: the request is small and read whole (no race with an early answer), inflated it
    // is 25 MB, past trace.max-body
    ByteArrayOutputStream million = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(million)) {
      gz.write('[');
      byte[] span = "{\"traceId\":\"1\",\"id\":\"1\"},".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < 1_000_000; i++) {
        gz.write(span);
      }
      gz.write("{\"traceId\":\"1\",\"id\":\"2\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.baseUri()
        + "/api/v2/spans")).header("Authorization", "Bearer " + service).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(million.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    // a plain body that says it is too large is refused before it is sent
    assertThat(f.raw("POST", "/api/v2/spans", service, 6L * 1024 * 1024).status()).isEqualTo(413);
  }

  @Test
  void deletingTheNamespace_forgetsItsSpans() {
    postJson(service, rpc("00000000000000000000000000000a10", "acme", nowMicros())).expect(202);
    awaitTrace(viewer, "00000000000000000000000000000a10");

    f.admin().delete("/api/v1/namespaces/" + NS).expect(204);
    f.namespace(NS);

    f.admin().get("/api/v2/trace/00000000000000000000000000000a10?namespace=" + NS).expect(404);
    assertThat(f.admin().get("/api/v2/services?namespace=" + NS).expect(200).json()).isEmpty();
    f.as(ingest).send("POST", "/api/v2/spans", "[]", "application/json").expect(401); // its keys went with it
  }

  @SafeVarargs
  static List<Span> concat(List<Span>... lists) {
    List<Span> all = new ArrayList<>();
    for (List<Span> l : lists) {
      all.addAll(l);
    }
    return all;
  }
}
