package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.stats.Red;
import io.tenantry.api.stats.StatsPage;
import io.tenantry.api.stats.StatsRow;
import io.tenantry.server.internal.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import zipkin2.DependencyLink;
import zipkin2.Span;
import zipkin2.codec.DependencyLinkBytesDecoder;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Tracing end to end against the real collector: three governed services a → b → c (JDK servers behind their
 * clients' doors, every trace sampled) export their spans the default way, to the in-process control plane, for
 * two tenants; c refuses the first attempt of every request with 503, so b retries. An operator then reads what
 * happened through the collector's Zipkin v2 API (every answer decoded with Zipkin's own codec) and the stats API.
 */
class TracingCollectorIT {
  private static final ObjectMapper JSON = Json.newMapper();
  /** Spans of one request: a's SERVER and CLIENT, b's SERVER and two attempts, c's SERVER for each attempt. */
  private static final int SPANS_PER_REQUEST = 7;

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;
  private String viewer;
  private final HttpClient http = HttpClient.newHttpClient();
  /** One per request sent to a, in order: the trace id and tenant a's handler had in its MDC. */
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  /** The traces whose first attempt c refused. */
  private final Set<String> refusedAtC = ConcurrentHashMap.newKeySet();
  /** Each service's port. */
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();

  private record Sent(String traceId, String tenant) {}

  @FunctionalInterface
  private interface Handler {
    int handle(TenantryClient client) throws IOException;
  }

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    viewer = cp.key("shop", "viewer");
    cp.tenant("shop", "acme", "pooled", "active");
    cp.tenant("shop", "globex", "pooled", "active");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  /** Service {@code name}: its client (default export, every root sampled) and its server, registered as name-1. */
  private TenantryClient service(String name, Handler handler) throws IOException {
    TenantryClient client = cp.started(cp.client("shop", key, null).serviceName(name).traceSampleRatio(1.0)
        .statsInterval(Duration.ofMillis(200)));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(handler.handle(client), -1);
      ex.close();
    }).getFilters().add(new TenantryHttpFilter(client));
    server.setExecutor(Executors.newFixedThreadPool(2, DaemonThreads.named("svc-" + name)));
    server.start();
    cp.track(() -> server.stop(0));
    ports.put(name, server.getAddress().getPort());
    client.register(name, new InstanceSpec(name + "-1", "127.0.0.1", server.getAddress().getPort(), "v1", "zone-a",
        100, InstanceStatus.UP, Map.of(), null, 30));
    return client;
  }

  private static int forward(TenantryClient client, String to) throws IOException {
    try {
      return client.http().send(HttpRequest.newBuilder(URI.create("http://" + to + "/next")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 500;
    }
  }

  /** a → b → c running, each service seeing the other and both tenants; returns a's port. */
  private int chain() throws IOException {
    TenantryClient c = service("c", client -> refusedAtC.add(MDC.get("trace_id")) ? 503 : 200);
    TenantryClient b = service("b", client -> forward(client, "c"));
    TenantryClient a = service("a", client -> {
      sent.add(new Sent(MDC.get("trace_id"), MDC.get("tenant_id")));
      return forward(client, "b");
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> a.instances("b").size() == 1 && b.instances("c").size() == 1
        && List.of(a, b, c).stream()
            .allMatch(x -> x.tenant("acme").isPresent() && x.tenant("globex").isPresent()));
    return ports.get("a");
  }

  /** Sends one request for {@code tenant} to a; returns its status. */
  private int send(int a, String tenant) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a + "/start"))
        .header("X-Tenant-Id", tenant).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Sends one request per tenant given to a, in order; each must succeed (b's retry hides c's 503). */
  private void traffic(int a, String... tenants) throws Exception {
    int before = sent.size();
    for (String tenant : tenants) {
      assertThat(send(a, tenant)).as(tenant).isEqualTo(200);
    }
    assertThat(sent.subList(before, sent.size())).extracting(Sent::tenant).containsExactly(tenants);
  }

  private HttpResponse<String> get(String credential, String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cp.baseUri() + pathAndQuery))
        .header("Authorization", "Bearer " + credential).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String ok(String credential, String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(credential, pathAndQuery);
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private List<Span> trace(String credential, String pathAndQuery) throws Exception {
    return SpanBytesDecoder.JSON_V2.decodeList(ok(credential, pathAndQuery).getBytes(StandardCharsets.UTF_8));
  }

  /** A list of traces, decoded trace by trace with Zipkin's codec. */
  private List<List<Span>> traces(String credential, String pathAndQuery) throws Exception {
    List<List<Span>> out = new ArrayList<>();
    for (JsonNode t : JSON.readTree(ok(credential, pathAndQuery))) {
      out.add(SpanBytesDecoder.JSON_V2.decodeList(t.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private List<String> names(String credential, String pathAndQuery) throws Exception {
    return List.of(JSON.readValue(ok(credential, pathAndQuery), String[].class));
  }

  private List<DependencyLink> dependencies(String credential, String query) throws Exception {
    return DependencyLinkBytesDecoder.JSON_V1.decodeList(ok(credential, "/api/v2/dependencies?endTs="
        + System.currentTimeMillis() + "&lookback=3600000" + query).getBytes(StandardCharsets.UTF_8));
  }

  private static DependencyLink link(String parent, String child, long calls, long errors) {
    return DependencyLink.newBuilder().parent(parent).child(child).callCount(calls).errorCount(errors).build();
  }

  /** Waits until the collector holds every span of every request sent (the SDK batches for up to a second). */
  private void awaitCollected() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (Sent s : sent) {
        HttpResponse<String> r = get(viewer, "/api/v2/trace/" + s.traceId());
        assertThat(r.statusCode()).as(s.toString()).isEqualTo(200);
        assertThat(SpanBytesDecoder.JSON_V2.decodeList(r.body().getBytes(StandardCharsets.UTF_8)))
            .as(s.toString()).hasSize(SPANS_PER_REQUEST);
      }
    });
  }

  private static Span one(List<Span> spans, String service, Span.Kind kind) {
    List<Span> found = spans.stream().filter(s -> service.equals(s.localServiceName()) && s.kind() == kind).toList();
    assertThat(found).as(service + " " + kind).hasSize(1);
    return found.get(0);
  }

  /** One request's trace: a's SERVER → a's CLIENT → b's SERVER → two attempts → c's SERVER under each. */
  private static void assertRequestTree(List<Span> spans, Sent request) {
    assertThat(spans).hasSize(SPANS_PER_REQUEST).allSatisfy(s -> {
      assertThat(s.traceId()).isEqualTo(request.traceId());
      assertThat(s.tags()).containsEntry("tenant.id", request.tenant()).containsEntry("tenantry.namespace", "shop")
          .containsKeys("tenantry.service", "tenantry.instance", "tenantry.outcome");
    });
    assertThat(spans).extracting(Span::id).doesNotHaveDuplicates();
    Span aServer = one(spans, "a", Span.Kind.SERVER);
    Span aToB = one(spans, "a", Span.Kind.CLIENT);
    Span bServer = one(spans, "b", Span.Kind.SERVER);
    assertThat(aServer.parentId()).isNull();
    assertThat(aServer.tags()).containsEntry("tenantry.service", "a").containsEntry("tenantry.outcome", "success");
    assertThat(aToB.parentId()).isEqualTo(aServer.id());
    assertThat(aToB.remoteServiceName()).isEqualTo("b");
    assertThat(aToB.tags()).containsEntry("tenantry.attempt", "1").containsEntry("tenantry.instance", "b-1")
        .containsEntry("tenantry.outcome", "success");
    assertThat(bServer.parentId()).isEqualTo(aToB.id());
    assertThat(bServer.remoteServiceName()).isEqualTo("a");
    assertThat(bServer.tags()).containsEntry("tenantry.instance", "b-1").containsEntry("http.response.status_code",
        "200");

    List<Span> attempts = spans.stream().filter(s -> "b".equals(s.localServiceName()) && s.kind() == Span.Kind.CLIENT)
        .sorted(Comparator.comparing((Span s) -> s.tags().get("tenantry.attempt"))).toList();
    assertThat(attempts).hasSize(2).allSatisfy(s -> {
      assertThat(s.parentId()).isEqualTo(bServer.id());
      assertThat(s.remoteServiceName()).isEqualTo("c");
      assertThat(s.tags()).containsEntry("tenantry.service", "c").containsEntry("tenantry.instance", "c-1");
    });
    Span first = attempts.get(0);
    Span retry = attempts.get(1);
    assertThat(first.tags()).containsEntry("tenantry.attempt", "1").containsEntry("tenantry.retry", "true")
        .containsEntry("http.response.status_code", "503").containsEntry("tenantry.outcome", "http_error")
        .containsEntry("otel.status_code", "ERROR").containsKey("error");
    assertThat(retry.tags()).containsEntry("tenantry.attempt", "2").containsEntry("tenantry.retry", "false")
        .containsEntry("http.response.status_code", "200").containsEntry("tenantry.outcome", "success")
        .doesNotContainKey("error");
    assertThat(retry.timestampAsLong()).isGreaterThanOrEqualTo(first.timestampAsLong() + first.durationAsLong());

    // c served each attempt as a child of that very attempt
    List<Span> cServer = spans.stream().filter(s -> "c".equals(s.localServiceName())).toList();
    assertThat(cServer).hasSize(2).allSatisfy(s -> {
      assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
      assertThat(s.remoteServiceName()).isEqualTo("b");
      assertThat(s.tags()).containsEntry("tenantry.instance", "c-1");
    });
    for (Span s : cServer) {
      boolean refused = "503".equals(s.tags().get("http.response.status_code"));
      assertThat(s.parentId()).isEqualTo(refused ? first.id() : retry.id());
      assertThat(s.tags()).containsEntry("tenantry.outcome", refused ? "http_error" : "success");
      assertThat(s.tags().containsKey("error")).isEqualTo(refused);
    }
  }

  @Test
  void chainForTwoTenants_readsBackThroughTheZipkinApi_oneTracePerRequest_tenantsApart() throws Exception {
    traffic(chain(), "acme", "globex", "acme");
    awaitCollected();

    assertThat(sent).extracting(Sent::traceId).doesNotHaveDuplicates();
    for (Sent s : sent) {
      assertRequestTree(trace(viewer, "/api/v2/trace/" + s.traceId()), s);
    }
    List<String> acme = sent.stream().filter(s -> s.tenant().equals("acme")).map(Sent::traceId).toList();
    String globex = sent.get(1).traceId();

    // the trace search, per tenant: that tenant's requests, whole, and no span of the other tenant
    List<List<Span>> acmeTraces = traces(viewer, "/api/v2/traces?serviceName=b&tenant=acme");
    assertThat(acmeTraces).extracting(t -> t.get(0).traceId()).containsExactlyInAnyOrderElementsOf(acme);
    assertThat(acmeTraces).allSatisfy(t -> assertThat(t).hasSize(SPANS_PER_REQUEST)
        .allSatisfy(s -> assertThat(s.tags()).containsEntry("tenant.id", "acme")));
    List<List<Span>> globexTraces = traces(viewer, "/api/v2/traces?serviceName=b&tenant=globex");
    assertThat(globexTraces).hasSize(1);
    assertRequestTree(globexTraces.get(0), sent.get(1));
    assertThat(traces(viewer, "/api/v2/traces?serviceName=c&tenant=globex&annotationQuery=error"))
        .extracting(t -> t.get(0).traceId()).containsExactly(globex);
    assertThat(traces(viewer, "/api/v2/traces?serviceName=b")).hasSize(3);
    assertThat(get(viewer, "/api/v2/trace/" + acme.get(0) + "?tenant=globex").statusCode()).isEqualTo(404);
    assertThat(get(viewer, "/api/v2/trace/" + globex + "?tenant=acme").statusCode()).isEqualTo(404);
    assertThat(traces(viewer, "/api/v2/traceMany?tenant=globex&traceIds=" + String.join(",", acme) + "," + globex))
        .extracting(t -> t.get(0).traceId()).containsExactly(globex);

    // services and the dependency graph: a → b, b → c with c's refusals as errors (one per request)
    assertThat(names(viewer, "/api/v2/services")).containsExactly("a", "b", "c");
    assertThat(names(viewer, "/api/v2/services?tenant=globex")).containsExactly("a", "b", "c");
    assertThat(names(viewer, "/api/v2/remoteServices?serviceName=b")).containsExactly("a", "c");
    assertThat(names(viewer, "/api/v2/autocompleteValues?key=tenant.id")).containsExactly("acme", "globex");
    assertThat(names(viewer, "/api/v2/autocompleteValues?key=tenant.id&tenant=globex")).containsExactly("globex");
    assertThat(names(viewer, "/api/v2/autocompleteValues?key=tenantry.outcome&tenant=acme"))
        .containsExactly("http_error", "success");
    assertThat(dependencies(viewer, "")).containsExactlyInAnyOrder(link("a", "b", 3, 0), link("b", "c", 6, 3));
    assertThat(dependencies(viewer, "&tenant=globex"))
        .containsExactlyInAnyOrder(link("a", "b", 1, 0), link("b", "c", 2, 1));

    // another namespace's key sees none of it, and may not name this namespace
    String stranger = cp.namespace("other", "viewer");
    assertThat(names(stranger, "/api/v2/services")).isEmpty();
    assertThat(traces(stranger, "/api/v2/traces?serviceName=b")).isEmpty();
    assertThat(traces(stranger, "/api/v2/traces")).isEmpty();
    assertThat(dependencies(stranger, "")).isEmpty();
    assertThat(get(stranger, "/api/v2/trace/" + globex).statusCode()).isEqualTo(404);
    assertThat(get(stranger, "/api/v2/traces?namespace=shop").statusCode()).isEqualTo(404);
    assertThat(get(stranger, "/api/v2/trace/" + globex + "?namespace=shop").statusCode()).isEqualTo(404);
  }

  /** The row of {@code tenant} (null: all tenants) of service c. */
  private static StatsRow row(StatsPage page, String tenant) {
    return page.rows().stream().filter(r -> r.service().equals("c") && Objects.equals(r.tenant(), tenant))
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + tenant + " in " + page));
  }

  @Test
  void statsApi_showsTheRedFiguresOfThatTraffic_perTenant() throws Exception {
    traffic(chain(), "acme", "globex", "acme");
    String stats = ApiPaths.expand(ApiPaths.STATS, "shop");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      StatsPage page = JSON.readValue(ok(viewer, stats + "?service=c&tenant=acme&window=5m"), StatsPage.class);
      assertThat(page.rows()).extracting(StatsRow::tenant).containsExactly(null, "acme");
      // c served two attempts per request, the first refused; b called it once per request and retried once
      assertServed(row(page, "acme").served(), 4, 2);
      assertCalled(row(page, "acme").called(), 2, 2);
      assertServed(row(page, null).served(), 6, 3);
      StatsPage globex = JSON.readValue(ok(viewer, stats + "?service=c&tenant=globex"), StatsPage.class);
      assertServed(row(globex, "globex").served(), 2, 1);
      assertCalled(row(globex, "globex").called(), 1, 1);
    });
    String stranger = cp.namespace("other", "viewer");
    assertThat(get(stranger, stats + "?service=c&tenant=acme").statusCode()).isEqualTo(404);
  }

  private static void assertServed(Red red, long calls, long errors) {
    assertThat(red.calls()).isEqualTo(calls);
    assertThat(red.errors()).isEqualTo(errors);
    assertThat(red.errorRate()).isEqualTo((double) errors / calls);
    assertThat(red.rejections()).isZero();
    assertThat(red.p99Millis()).isPositive().isGreaterThanOrEqualTo(red.p50Millis());
  }

  /** The called side: every call succeeded in the end (the retry), after {@code retries} retries. */
  private static void assertCalled(Red red, long calls, long retries) {
    assertThat(red.calls()).isEqualTo(calls);
    assertThat(red.retries()).isEqualTo(retries);
    assertThat(red.errors()).isZero();
    assertThat(red.errorRate()).isZero();
  }

  @Test
  void aRefusalAtTheDoor_isASpanOfItsTenantOnly_andARejectionInItsStats() throws Exception {
    int a = chain();
    cp.policy("shop", "rate-limit", "per-tenant", "a", false,
        "{'limits':[{'name':'per-tenant','by':'tenant','rate':1,'period':'1m'}]}");
    // globex until a's door applies the limit and refuses it (what passed before is counted, whole traces)
    List<Integer> globex = new CopyOnWriteArrayList<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      globex.add(send(a, "globex"));
      return globex.get(globex.size() - 1) == 429;
    });
    assertThat(globex).containsOnly(200, 429).containsOnlyOnce(429);
    assertThat(send(a, "acme")).isEqualTo(200); // a bucket of its own
    long passed = globex.size() - 1;

    String refusals = "/api/v2/traces?serviceName=a&annotationQuery=tenantry.outcome%3Drefused";
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(traces(viewer, refusals + "&tenant=globex")).hasSize(1);
      assertThat(traces(viewer, "/api/v2/traces?serviceName=c&tenant=globex")).hasSize((int) passed);
      assertThat(traces(viewer, "/api/v2/traces?serviceName=c&tenant=acme")).singleElement()
          .satisfies(t -> assertThat(t).hasSize(SPANS_PER_REQUEST));
    });
    Span refused = traces(viewer, refusals + "&tenant=globex").get(0).get(0);
    assertThat(traces(viewer, refusals + "&tenant=globex").get(0)).hasSize(1);
    assertThat(refused.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(refused.localServiceName()).isEqualTo("a");
    assertThat(refused.parentId()).isNull();
    assertThat(refused.tags()).containsEntry("tenant.id", "globex").containsEntry("tenantry.namespace", "shop")
        .containsEntry("tenantry.service", "a").containsEntry("tenantry.instance", "a-1")
        .containsEntry("tenantry.refusal", "rate-limited").containsEntry("http.response.status_code", "429")
        .doesNotContainKey("error"); // a 429 is the door's answer, not a failure of a
    assertThat(traces(viewer, refusals + "&tenant=acme")).isEmpty();
    assertThat(traces(viewer, refusals)).hasSize(1);

    String stats = ApiPaths.expand(ApiPaths.STATS, "shop") + "?service=a&tenant=globex";
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      StatsPage page = JSON.readValue(ok(viewer, stats), StatsPage.class);
      Red served = page.rows().stream().filter(r -> "globex".equals(r.tenant())).findFirst().orElseThrow().served();
      assertThat(served.calls()).isEqualTo(passed + 1);
      assertThat(served.rejections()).isEqualTo(1);
      assertThat(served.rejectionRate()).isEqualTo(1.0 / (passed + 1));
      assertThat(served.errors()).isZero();
    });
  }

  @Test
  void collectorRestart_keepsTheTraces_andTheSdksExportAgain() throws Exception {
    int a = chain();
    traffic(a, "acme");
    awaitCollected();
    String first = "/api/v2/trace/" + sent.get(0).traceId();
    List<Span> before = trace(viewer, first);

    cp.restart(); // same port and data: the spans were stored, and are loaded back at start
    assertThat(trace(viewer, first)).containsExactlyInAnyOrderElementsOf(before);
    // the services register again by their heartbeats; then their next request is traced and exported as before
    await().atMost(Duration.ofSeconds(20)).until(() -> cp.listedIds("shop", "b").equals(List.of("b-1"))
        && cp.listedIds("shop", "c").equals(List.of("c-1")));
    traffic(a, "globex");
    awaitCollected();
    assertRequestTree(trace(viewer, "/api/v2/trace/" + sent.get(1).traceId()), sent.get(1));
    assertThat(traces(viewer, "/api/v2/traces?serviceName=b")).hasSize(2);
  }

  /** A span encoder that keeps every span it encodes: what the exporter sent, as Zipkin spans. */
  private record Recording(BytesEncoder<Span> encoder, List<Span> spans) implements BytesEncoder<Span> {
    @Override
    public Encoding encoding() {
      return encoder.encoding();
    }

    @Override
    public int sizeInBytes(Span span) {
      return encoder.sizeInBytes(span);
    }

    @Override
    public byte[] encode(Span span) {
      spans.add(span);
      return encoder.encode(span);
    }
  }

  /**
   * Records one trace of service billing for {@code tenant} (a SERVER span and its failed CLIENT call to ledger)
   * with OpenTelemetry's SDK and exports it with OpenTelemetry's own Zipkin exporter to {@code url} in {@code
   * encoding}; returns what the exporter sent.
   */
  private static List<Span> exportWithOpenTelemetry(String url, Encoding encoding, String tenant) {
    Recording sent = new Recording(SpanBytesEncoder.forEncoding(encoding), new CopyOnWriteArrayList<>());
    try (URLConnectionSender sender = URLConnectionSender.newBuilder().endpoint(url).encoding(encoding).build();
         SdkTracerProvider provider = SdkTracerProvider.builder()
             .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "billing")))
             .addSpanProcessor(SimpleSpanProcessor.create(
                 ZipkinSpanExporter.builder().setSender(sender).setEncoder(sent).build()))
             .build()) {
      Tracer tracer = provider.get("interop");
      io.opentelemetry.api.trace.Span invoice = tracer.spanBuilder("invoice").setSpanKind(SpanKind.SERVER)
          .setAttribute("tenant.id", tenant).startSpan();
      try (Scope ignored = invoice.makeCurrent()) {
        tracer.spanBuilder("post").setSpanKind(SpanKind.CLIENT).setAttribute("tenant.id", tenant)
            .setAttribute("peer.service", "ledger").setAttribute("http.response.status_code", 503L).startSpan()
            .addEvent("retry ✓").setStatus(StatusCode.ERROR, "ledger said 503").end();
      }
      invoice.end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(sent.spans()).hasSize(2);
    return sent.spans();
  }

  @Test
  void openTelemetrysZipkinExporter_postsToTheIngestUrl_andItsSpansReadBackEqual() throws Exception {
    String ingest = cp.key("shop", "ingest");
    String url = cp.baseUri() + "/ingest/shop/" + ingest + "/api/v2/spans";
    List<Span> json = exportWithOpenTelemetry(url, Encoding.JSON, "acme");
    List<Span> proto3 = exportWithOpenTelemetry(url, Encoding.PROTO3, "globex");
    String acme = json.get(0).traceId();
    String globex = proto3.get(0).traceId();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(trace(viewer, "/api/v2/trace/" + acme)).containsExactlyInAnyOrderElementsOf(json);
      assertThat(trace(viewer, "/api/v2/trace/" + globex)).containsExactlyInAnyOrderElementsOf(proto3);
    });
    assertThat(json).anySatisfy(s -> assertThat(s.tags()).containsEntry("error", "ledger said 503")
        .containsEntry("otel.status_code", "ERROR"));
    assertThat(traces(viewer, "/api/v2/traces?serviceName=billing&tenant=globex")).containsExactly(proto3);
    assertThat(dependencies(viewer, "&tenant=acme")).containsExactly(link("billing", "ledger", 1, 1));
    // the ingest key posts and does nothing else
    assertThat(get(ingest, "/api/v2/traces").statusCode()).isEqualTo(403);
  }
}
