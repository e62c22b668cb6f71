package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.PhaseTwoRequest;
import io.tenantry.client.FilteredJetty;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.client.internal.tx.FenceLog;
import io.tenantry.client.internal.tx.TestDatabases;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The participant's phase-two endpoint as TenantryHttpFilter serves it on a real JDK HTTP server, its tokens
 * checked against a JWKS fetched over real HTTP: the outcomes of confirm, cancel and compensate through the fence,
 * and every kind of bad input refused with a clear problem and nothing run.
 */
class PhaseTwoEndpointIT {
  static final String NS = "shop";
  static final String SERVICE = "payment";
  static final String AUD = CoordinatorToken.audience(NS, SERVICE);
  static final String XID = "0190a1b2c3d4" + "0000000000000000abcd";
  static final ObjectMapper JSON = Json.newMapper();

  /** The arguments of the test's actions. */
  public record Debit(String account, long amount) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final CopyOnWriteArrayList<String> ran = new CopyOnWriteArrayList<>();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private JwksServer jwks;
  private TestDatabases.Db db;
  private TenantryClient client;
  private HttpServer participant;
  private FenceLog fence;

  @BeforeEach
  void start() throws Exception {
    jwks = new JwksServer();
    db = TestDatabases.h2(true);
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    client = TenantryClient.newBuilder().servers(jwks.uri().toString()).namespace(NS).apiKey("test-key")
        .serviceName(SERVICE).transactionLog(db.dataSource()).clock(clock).snapshotDirectory(null)
        .shutdownHook(false).statsInterval(Duration.ZERO).traceExport("none").firstLookupWait(Duration.ZERO)
        .build().start();
    Transactions tx = client.transactions();
    tx.tcc("debit", Debit.class,
        (ctx, c, d) -> ran.add("try " + ctx.branch()),
        (ctx, c, d) -> {
          if (d.amount() < 0) {
            throw new IllegalStateException("cannot confirm a negative debit");
          }
          ran.add("confirm " + ctx.branch() + " " + d.account() + " " + d.amount() + " " + ctx.tenant());
        },
        (ctx, c, d) -> ran.add("cancel " + ctx.branch() + " " + d.account()));
    tx.sagaStep("credit", Debit.class, (ctx, c, d) -> ran.add("credit " + ctx.branch()),
        (ctx, c, d) -> ran.add("compensate " + ctx.branch()));
    fence = new FenceLog(db.dataSource(), Clock.systemUTC());
    participant = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    participant.createContext("/", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    }).getFilters().add(new TenantryHttpFilter(client));
    participant.start();
  }

  @AfterEach
  void stop() {
    participant.stop(0);
    client.close();
    jwks.close();
    db.close();
  }

  private void tried(int branch, String action) throws Exception {
    fence.tryBranch(XID, branch, action, "acme", c -> {});
  }

  private static PhaseTwoRequest request(int branch, String action, BranchPhase phase, long amount) {
    return new PhaseTwoRequest(NS, "acme", XID, branch, SERVICE, action, "order-" + branch, phase,
        JSON.valueToTree(new Debit("alice", amount)));
  }

  private HttpResponse<String> send(String token, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + participant.getAddress().getPort()
        + ApiPaths.TX_PARTICIPANT)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(PhaseTwoRequest r) throws Exception {
    return send(jwks.token(AUD, r.xid(), r.branch(), r.phase(), now.get()), JSON.writeValueAsBytes(r));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(r).get("type").asText()).endsWith("/" + type);
  }

  @Test
  void confirm_runsOnce_andADuplicateIsAcknowledged() throws Exception {
    tried(1, "debit");
    HttpResponse<String> first = send(request(1, "debit", BranchPhase.CONFIRM, 30));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(json(first).get("outcome").asText()).isEqualTo("done");
    HttpResponse<String> again = send(request(1, "debit", BranchPhase.CONFIRM, 30));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("outcome").asText()).isEqualTo("already");
    assertThat(ran).containsExactly("confirm 1 alice 30 acme"); // the data came back as the arguments
    assertThat(fence.status(XID, 1)).isEqualTo("committed");
  }

  @Test
  void cancelWithoutTry_isAnEmptyRollback_thenConfirmIsAConflict() throws Exception {
    HttpResponse<String> cancel = send(request(2, "debit", BranchPhase.CANCEL, 30));
    assertThat(cancel.statusCode()).isEqualTo(200);
    assertThat(json(cancel).get("outcome").asText()).isEqualTo("empty-rollback");
    assertProblem(send(request(2, "debit", BranchPhase.CONFIRM, 30)), 409, "branch-conflict");
    assertThat(ran).isEmpty();
    assertThat(fence.status(XID, 2)).isEqualTo("suspended");
  }

  @Test
  void cancelTwice_runsOnce_andCancelAfterConfirmIsAConflict() throws Exception {
    tried(1, "debit");
    tried(2, "debit");
    assertThat(send(request(1, "debit", BranchPhase.CANCEL, 30)).statusCode()).isEqualTo(200);
    assertThat(send(request(1, "debit", BranchPhase.CANCEL, 30)).statusCode()).isEqualTo(200);
    assertThat(send(request(2, "debit", BranchPhase.CONFIRM, 30)).statusCode()).isEqualTo(200);
    assertProblem(send(request(2, "debit", BranchPhase.CANCEL, 30)), 409, "branch-conflict");
    assertThat(ran).containsExactly("cancel 1 alice", "confirm 2 alice 30 acme");
  }

  @Test
  void aFunctionThatThrows_is503_andTheBranchStaysTriedForTheRetry() throws Exception {
    tried(1, "debit");
    assertProblem(send(request(1, "debit", BranchPhase.CONFIRM, -1)), 503, "branch-failed");
    assertThat(fence.status(XID, 1)).isEqualTo("tried");
    assertThat(send(request(1, "debit", BranchPhase.CONFIRM, 5)).statusCode()).isEqualTo(200);
  }

  @Test
  void sagaStep_isCompensated_butNeverConfirmed() throws Exception {
    tried(3, "credit");
    assertThat(send(request(3, "credit", BranchPhase.COMPENSATE, 1)).statusCode()).isEqualTo(200);
    assertProblem(send(request(4, "credit", BranchPhase.CONFIRM, 1)), 400, "invalid-body");
    assertProblem(send(request(4, "debit", BranchPhase.COMPENSATE, 1)), 400, "invalid-body");
    assertThat(ran).containsExactly("compensate 3");
  }

  @Test
  void servletFilter_servesTheSameEndpoint() throws Exception {
    tried(1, "debit");
    try (FilteredJetty jetty = FilteredJetty.start(new io.tenantry.client.TenantryServletFilter(client),
        new jakarta.servlet.http.HttpServlet() {})) {
      URI uri = jetty.uri(ApiPaths.TX_PARTICIPANT);
      PhaseTwoRequest r = request(1, "debit", BranchPhase.CONFIRM, 30);
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(
          JSON.writeValueAsBytes(r))).header("Content-Type", "application/json");
      HttpResponse<String> unsigned = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertProblem(unsigned, 401, "unauthorized");
      HttpResponse<String> signed = http.send(b.header("Authorization", "Bearer "
          + jwks.token(AUD, XID, 1, BranchPhase.CONFIRM, now.get())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
      assertThat(json(signed).get("outcome").asText()).isEqualTo("done");
      assertThat(ran).containsExactly("confirm 1 alice 30 acme");
    }
  }

  @Test
  void unknownAction_is404() throws Exception {
    assertProblem(send(request(1, "refund", BranchPhase.CONFIRM, 1)), 404, "unknown-action");
  }

  @Test
  void missingForgedExpiredOrMisdirectedTokens_are401_andRunNothing() throws Exception {
    tried(1, "debit");
    PhaseTwoRequest r = request(1, "debit", BranchPhase.CONFIRM, 30);
    byte[] body = JSON.writeValueAsBytes(r);
    Instant t = now.get();
    KeyPair stranger = JwksServer.newKeyPair();
    assertProblem(send(null, body), 401, "unauthorized");
    assertProblem(send("not-a-jwt", body), 401, "invalid-token");
    assertProblem(send(JwksServer.token("k1", stranger.getPrivate(), AUD, XID, 1, BranchPhase.CONFIRM, t,
        t.plusSeconds(60)), body), 401, "invalid-token"); // forged: the right kid, another key
    assertProblem(send(JwksServer.token("k1", jwks.privateKey("k1"), AUD, XID, 1, BranchPhase.CONFIRM,
        t.minusSeconds(600), t.minusSeconds(300)), body), 401, "invalid-token"); // expired
    assertProblem(send(jwks.token(CoordinatorToken.audience(NS, "order"), XID, 1, BranchPhase.CONFIRM, t), body),
        401, "invalid-token"); // another service
    assertProblem(send(jwks.token(CoordinatorToken.audience("other", SERVICE), XID, 1, BranchPhase.CONFIRM, t), body),
        401, "invalid-token"); // another namespace
    assertProblem(send(jwks.token(AUD, XID, 2, BranchPhase.CONFIRM, t), body), 401, "invalid-token"); // branch
    assertProblem(send(jwks.token(AUD, XID, 1, BranchPhase.CANCEL, t), body), 401, "invalid-token"); // phase
    assertProblem(send(jwks.token(AUD, "0190a1b2c3d4" + "0000000000000000ffff", 1, BranchPhase.CONFIRM, t), body),
        401, "invalid-token"); // transaction
    assertThat(ran).isEmpty();
    assertThat(fence.status(XID, 1)).isEqualTo("tried");
  }

  @Test
  void unknownKeyIds_refetchTheJwksAtMostEvery5s_soARotatedKeyIsFound() throws Exception {
    tried(1, "debit");
    PhaseTwoRequest r = request(1, "debit", BranchPhase.CONFIRM, 30);
    byte[] body = JSON.writeValueAsBytes(r);
    Instant t = now.get();
    KeyPair rotated = JwksServer.newKeyPair();
    String withK2 = JwksServer.token("k2", rotated.getPrivate(), AUD, XID, 1, BranchPhase.CONFIRM, t,
        t.plusSeconds(60));
    assertProblem(send(withK2, body), 401, "invalid-token"); // k2 is not published yet
    int fetched = jwks.fetches();
    assertThat(fetched).isEqualTo(1);
    jwks.publish(Map.of("k1", JwksServer.newKeyPair(), "k2", rotated));
    for (int i = 0; i < 5; i++) {
      assertProblem(send(withK2, body), 401, "invalid-token"); // too soon to fetch again
    }
    assertThat(jwks.fetches()).isEqualTo(fetched);
    now.set(t.plusSeconds(6));
    assertThat(send(withK2, body).statusCode()).isEqualTo(200);
    assertThat(jwks.fetches()).isEqualTo(fetched + 1);
  }

  @Test
  void malformedOversizedOrInconsistentBodies_are4xx() throws Exception {
    Instant t = now.get();
    String token = jwks.token(AUD, XID, 1, BranchPhase.CONFIRM, t);
    assertProblem(send(token, "{not json".getBytes()), 400, "invalid-body");
    assertProblem(send(token, "[]".getBytes()), 400, "invalid-body");
    assertProblem(send(token, "{\"xid\":\"nope\",\"branch\":1,\"phase\":\"confirm\"}".getBytes()), 400,
        "invalid-body");
    assertProblem(send(token, ("{\"xid\":\"" + XID + "\",\"branch\":1,\"phase\":\"explode\"}").getBytes()), 400,
        "invalid-body");
    assertProblem(send(token, new byte[64 * 1024]), 413, "payload-too-large");
    PhaseTwoRequest elsewhere = new PhaseTwoRequest("other", "acme", XID, 1, SERVICE, "debit", "order-1",
        BranchPhase.CONFIRM, null);
    assertProblem(send(token, JSON.writeValueAsBytes(elsewhere)), 400, "invalid-body");
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + participant.getAddress().getPort() + ApiPaths.TX_PARTICIPANT)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(get, 405, "method-not-allowed");
    assertThat(ran).isEmpty();
  }
}
