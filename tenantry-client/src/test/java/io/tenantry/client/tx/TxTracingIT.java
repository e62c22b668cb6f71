package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.Json;
import io.tenantry.client.ControlPlaneFixture;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.internal.tx.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * A distributed transaction traced end to end, over real HTTP, with the real control plane in-process (its
 * coordinator and its trace collector): {@code order} (initiator, and a participant with {@code reserve}) places an
 * order inside a request that arrives with a W3C {@code traceparent}, calling {@code payment} (a participant with
 * {@code debit}); both export their spans the default way, to the control plane. The trace is then read back through
 * the collector's Zipkin v2 API, decoded with Zipkin's own codec.
 */
class TxTracingIT {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final String COORDINATOR = "tenantry-coordinator";
  private static final String PHASE_TWO_PATH = "/.well-known/tenantry/tx";

  /** The arguments of the actions. */
  public record Money(String account, long amount) {}

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String viewer;
  private TestDatabases.Db orderDb;
  private TestDatabases.Db paymentDb;
  private int orderPort;
  private final HttpClient http = HttpClient.newHttpClient();
  /** The trace id in payment's MDC while each of its confirms ran, by order id. */
  private final Map<String, String> confirmTraceIds = new ConcurrentHashMap<>();
  /** Order ids whose first confirm at payment fails (503: the coordinator asks again). */
  private final Set<String> failFirstConfirm = ConcurrentHashMap.newKeySet();
  private final List<String> xids = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    viewer = cp.key("shop", "viewer");
    cp.tenant("shop", "acme", "pooled", "active");
    cp.tenant("shop", "globex", "pooled", "active");
    orderDb = TestDatabases.h2(true);
    paymentDb = TestDatabases.h2(true);

    TenantryClient payment = cp.started(cp.client("shop", key, null).serviceName("payment").traceSampleRatio(1.0)
        .transactionLog(paymentDb.dataSource()));
    TccAction<Money> debit = payment.transactions().tcc("debit", Money.class, (ctx, c, m) -> {}, (ctx, c, m) -> {
      confirmTraceIds.put(ctx.key(), String.valueOf(MDC.get("trace_id")));
      if (failFirstConfirm.remove(ctx.key())) {
        throw new IllegalStateException("the wallet is locked, ask again");
      }
    }, (ctx, c, m) -> {});
    HttpServer paymentServer = TxService.start(payment, "payment", ex -> {
      String orderId = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      debit.tryBranch(orderId, new Money("alice", 30));
      return "debited";
    });
    cp.track(() -> paymentServer.stop(0));

    TenantryClient order = cp.started(cp.client("shop", key, null).serviceName("order").traceSampleRatio(1.0)
        .transactionLog(orderDb.dataSource()));
    TccAction<Money> reserve = order.transactions().tcc("reserve", Money.class, (ctx, c, m) -> {}, (ctx, c, m) -> {},
        (ctx, c, m) -> {});
    // POST /place with the order id: one TCC transaction, begun inside this request (its SERVER span current)
    HttpServer orderServer = TxService.start(order, "order", ex -> {
      String orderId = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      return order.transactions().inTransaction(TxOptions.tcc("place-order").waitForPhaseTwo(Duration.ofSeconds(15)),
          g -> {
            xids.add(g.xid());
            reserve.tryBranch(orderId, new Money("alice", 30));
            HttpResponse<String> r = order.http().send(HttpRequest.newBuilder(URI.create("http://payment/debit"))
                .POST(HttpRequest.BodyPublishers.ofString(orderId)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IllegalStateException("payment answered " + r.statusCode() + ": " + r.body());
            }
            return g.xid();
          });
    });
    cp.track(() -> orderServer.stop(0));
    orderPort = orderServer.getAddress().getPort();
    await().atMost(LONG).until(() -> !order.instances("payment").isEmpty() && order.tenant("globex").isPresent()
        && payment.tenant("globex").isPresent());
  }

  @AfterEach
  void stop() {
    cp.close();
    orderDb.close();
    paymentDb.close();
  }

  /** Places order {@code orderId} for {@code tenant} in a request of trace {@code traceId}; returns the xid. */
  private String place(String tenant, String orderId, String traceId, boolean sampled) throws Exception {
    String parentSpan = String.format("%016x", ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderPort + "/place"))
        .header("X-Tenant-Id", tenant)
        .header("traceparent", "00-" + traceId + "-" + parentSpan + (sampled ? "-01" : "-00"))
        .POST(HttpRequest.BodyPublishers.ofString(orderId)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String xid = r.body();
    assertThat(cp.transaction("shop", xid).get("state").asText()).isEqualTo("committed");
    return xid;
  }

  private static String newTraceId() {
    return String.format("%016x%016x", ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE),
        ThreadLocalRandom.current().nextLong());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cp.baseUri() + pathAndQuery))
        .header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<Span> trace(String traceId, String query) throws Exception {
    HttpResponse<String> r = get("/api/v2/trace/" + traceId + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return SpanBytesDecoder.JSON_V2.decodeList(r.body().getBytes(StandardCharsets.UTF_8));
  }

  private static List<Span> coordinatorSpans(List<Span> trace, String name) {
    return trace.stream().filter(s -> COORDINATOR.equals(s.localServiceName()) && name.equals(s.name())).toList();
  }

  /** The CLIENT span of {@code service}'s call to the coordinator named {@code name}. */
  private static Span sdkCall(List<Span> trace, String service, String name) {
    List<Span> found = trace.stream().filter(s -> s.kind() == Span.Kind.CLIENT && service.equals(s.localServiceName())
        && name.equals(s.name())).toList();
    assertThat(found).as(service + " " + name).hasSize(1);
    assertThat(found.get(0).remoteServiceName()).isEqualTo(COORDINATOR);
    assertThat(found.get(0).tags()).containsEntry("tenant.id", "acme");
    return found.get(0);
  }

  private static List<Span> phaseTwoServed(List<Span> trace, String service, String parentId) {
    return trace.stream().filter(s -> s.kind() == Span.Kind.SERVER && service.equals(s.localServiceName())
        && PHASE_TWO_PATH.equals(s.tags().get("url.path")) && parentId.equals(s.parentId())).toList();
  }

  @Test
  void aTransactionBegunInASampledRequest_isOneTrace_withTheCoordinatorsConfirmsAndTheParticipantsUnderThem()
      throws Exception {
    String traceId = newTraceId();
    String xid = place("acme", "o-1", traceId, true);

    // the request at order, its try's call to payment, the coordinator's two confirms and the two served confirms
    await().atMost(LONG).untilAsserted(() -> {
      List<Span> t = trace(traceId, "");
      assertThat(coordinatorSpans(t, "confirm reserve")).hasSize(1);
      assertThat(coordinatorSpans(t, "confirm debit")).hasSize(1);
      assertThat(t).filteredOn(s -> s.kind() == Span.Kind.SERVER && PHASE_TWO_PATH.equals(s.tags().get("url.path")))
          .hasSize(2);
      assertThat(t).filteredOn(s -> "/debit".equals(s.tags().get("url.path"))).hasSize(2); // order's CLIENT, payment's SERVER
      assertThat(t).filteredOn(s -> COORDINATOR.equals(s.remoteServiceName()) && s.kind() == Span.Kind.CLIENT)
          .extracting(Span::name).containsExactlyInAnyOrder("begin place-order", "register reserve", "register debit",
              "commit");
    });
    List<Span> t = trace(traceId, "");
    assertThat(t).extracting(Span::traceId).containsOnly(traceId);
    Span request = t.stream().filter(s -> s.kind() == Span.Kind.SERVER && "order".equals(s.localServiceName())
        && "/place".equals(s.tags().get("url.path"))).findFirst().orElseThrow();
    Span call = t.stream().filter(s -> s.kind() == Span.Kind.CLIENT && "order".equals(s.localServiceName())
        && "payment".equals(s.remoteServiceName())).findFirst().orElseThrow();
    assertThat(call.parentId()).isEqualTo(request.id());
    // the SDK's calls to the coordinator: begin, each branch's registration (order's own, payment's in its handler), commit
    Span begin = sdkCall(t, "order", "begin place-order");
    assertThat(begin.parentId()).isEqualTo(request.id());
    assertThat(sdkCall(t, "order", "register reserve").parentId()).isEqualTo(request.id());
    assertThat(sdkCall(t, "order", "commit").tags()).containsEntry("tenantry.xid", xid)
        .containsEntry("tenantry.outcome", "success");
    Span servedDebit = t.stream().filter(s -> s.kind() == Span.Kind.SERVER && "/debit".equals(s.tags().get("url.path")))
        .findFirst().orElseThrow();
    assertThat(sdkCall(t, "payment", "register debit").parentId()).isEqualTo(servedDebit.id());

    for (String[] branch : new String[][] {{"reserve", "order", "1"}, {"debit", "payment", "2"}}) {
      Span confirm = coordinatorSpans(t, "confirm " + branch[0]).get(0);
      assertThat(confirm.kind()).isEqualTo(Span.Kind.CLIENT);
      assertThat(confirm.parentId()).as("child of the span that began the transaction").isEqualTo(begin.id());
      assertThat(confirm.remoteServiceName()).isEqualTo(branch[1]);
      assertThat(confirm.tags()).containsEntry("tenant.id", "acme").containsEntry("tenantry.xid", xid)
          .containsEntry("tenantry.branch", branch[2]).containsEntry("tenantry.phase", "confirm")
          .containsEntry("tenantry.attempt", "1").containsEntry("tenantry.outcome", "done")
          .containsEntry("tenantry.namespace", "shop").containsEntry("http.response.status_code", "200")
          .doesNotContainKey("error");
      List<Span> served = phaseTwoServed(t, branch[1], confirm.id());
      assertThat(served).as("%s's SERVER span under the coordinator's call", branch[1]).hasSize(1);
      assertThat(served.get(0).remoteServiceName()).isEqualTo(COORDINATOR);
      assertThat(served.get(0).tags()).containsEntry("tenant.id", "acme").containsEntry("tenantry.service", branch[1])
          .containsEntry("tenantry.instance", branch[1] + "-1").containsEntry("tenantry.outcome", "success")
          .containsEntry("tenantry.xid", xid).containsEntry("tenantry.phase", "confirm");
    }
    assertThat(confirmTraceIds).as("payment's logs join the trace").containsEntry("o-1", traceId);
  }

  @Test
  void aConfirmRefusedOnceAndRetried_isTwoCoordinatorSpans() throws Exception {
    failFirstConfirm.add("o-2");
    String traceId = newTraceId();
    String xid = place("acme", "o-2", traceId, true);

    await().atMost(LONG).untilAsserted(() -> assertThat(coordinatorSpans(trace(traceId, ""), "confirm debit")).hasSize(2));
    List<Span> t = trace(traceId, "");
    List<Span> attempts = coordinatorSpans(t, "confirm debit").stream()
        .sorted(java.util.Comparator.comparing(s -> s.tags().get("tenantry.attempt"))).toList();
    assertThat(attempts.get(0).tags()).containsEntry("tenantry.attempt", "1").containsEntry("tenantry.outcome", "retry")
        .containsEntry("http.response.status_code", "503").containsEntry("tenantry.xid", xid);
    assertThat(attempts.get(0).tags().get("error")).contains("HTTP 503").contains("confirm failed");
    assertThat(attempts.get(1).tags()).containsEntry("tenantry.attempt", "2").containsEntry("tenantry.outcome", "done")
        .doesNotContainKey("error");
    assertThat(attempts.get(1).timestampAsLong()).isGreaterThan(attempts.get(0).timestampAsLong());
    await().atMost(LONG).untilAsserted(() -> {
      List<Span> now = trace(traceId, "");
      assertThat(phaseTwoServed(now, "payment", attempts.get(0).id())).singleElement()
          .satisfies(s -> assertThat(s.tags()).containsEntry("http.response.status_code", "503"));
      assertThat(phaseTwoServed(now, "payment", attempts.get(1).id())).singleElement()
          .satisfies(s -> assertThat(s.tags()).containsEntry("http.response.status_code", "200"));
    });
    assertThat(coordinatorSpans(t, "confirm reserve")).hasSize(1);
  }

  @Test
  void anUnsampledRequest_getsNoCoordinatorSpans_butItsTraceIdStillReachesTheParticipantsLogs() throws Exception {
    String unsampled = newTraceId();
    place("acme", "o-3", unsampled, false);
    String sampled = newTraceId();
    place("acme", "o-4", sampled, true); // after it: what the first could have exported has been by then

    await().atMost(LONG).untilAsserted(() -> assertThat(coordinatorSpans(trace(sampled, ""), "confirm debit")).hasSize(1));
    await().atMost(LONG).until(() -> get("/api/v2/trace/" + sampled).body().contains("\"localEndpoint\":{\"serviceName\":\"payment\""));
    assertThat(get("/api/v2/trace/" + unsampled).statusCode()).as("nothing of the unsampled trace").isEqualTo(404);
    assertThat(confirmTraceIds).containsEntry("o-3", unsampled);
  }

  @Test
  void theTenantFilter_findsTheCoordinatorsSpansForTheirTenantOnly() throws Exception {
    String acme = newTraceId();
    String acmeXid = place("acme", "o-5", acme, true);
    String globex = newTraceId();
    String globexXid = place("globex", "o-6", globex, true);

    await().atMost(LONG).untilAsserted(() -> {
      assertThat(coordinatorSpans(trace(acme, ""), "confirm debit")).hasSize(1);
      assertThat(coordinatorSpans(trace(globex, ""), "confirm debit")).hasSize(1);
    });
    for (String[] c : new String[][] {{"acme", acme, acmeXid, globex}, {"globex", globex, globexXid, acme}}) {
      String query = "/api/v2/traces?serviceName=" + COORDINATOR + "&tenant=" + c[0] + "&lookback=3600000";
      HttpResponse<String> r = get(query);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<Span> all = new java.util.ArrayList<>();
      for (JsonNode one : Json.newMapper().readTree(r.body())) {
        all.addAll(SpanBytesDecoder.JSON_V2.decodeList(one.toString().getBytes(StandardCharsets.UTF_8)));
      }
      assertThat(all).extracting(Span::traceId).contains(c[1]).doesNotContain(c[3]);
      assertThat(all).allSatisfy(s -> assertThat(s.tags()).containsEntry("tenant.id", c[0]));
      assertThat(coordinatorSpans(trace(c[1], "?tenant=" + c[0]), "confirm debit")).singleElement()
          .satisfies(s -> assertThat(s.tags()).containsEntry("tenantry.xid", c[2]));
      assertThat(get("/api/v2/trace/" + c[3] + "?tenant=" + c[0]).statusCode()).as("another tenant's trace")
          .isEqualTo(404);
    }
    assertThat(get("/api/v2/services").body()).contains(COORDINATOR);
  }
}
