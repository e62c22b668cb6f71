package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.tx.BranchPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction coordinator over real HTTP, with the real server in-process on H2 and small real participants
 * (JDK HttpServers registered as instances, checking the coordinator's token against the JWKS route): TCC commit
 * and rollback, timeouts, retries until acknowledged, stuck transactions and an operator's retry and resolve,
 * sagas compensating in reverse order, idempotency, and bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxCoordinatorIT {
  static final Duration LONG = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  ServerFixture f;
  final List<TxParticipant> participants = new ArrayList<>();
  int n;
  String ns;
  String serviceKey;

  @BeforeAll
  void startServer() {
    f = ServerFixture.start(ServerFixture.config(dataDir).tx(t -> t.withRetryBaseBackoff(Duration.ofMillis(50))
        .withRetryMaxBackoff(Duration.ofMillis(300)).withSagaMaxAttempts(3).withScanInterval(Duration.ofMillis(200))).build());
  }

  @AfterAll
  void stopServer() {
    f.close();
  }

  @BeforeEach
  void namespace() {
    ns = "tx" + (++n);
    f.namespace(ns);
    tenant("acme", "active");
    tenant("globex", "active");
    tenant("dormant", "suspended");
    serviceKey = f.key(ns, "service");
  }

  @AfterEach
  void stopParticipants() {
    participants.forEach(TxParticipant::close);
    participants.clear();
  }

  void tenant(String id, String status) {
    f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, ns), Map.of("id", id, "status", status)).expect(201);
  }

  /** A participant of {@code service}, registered as instance {@code <service>-1}. */
  TxParticipant participant(String service) {
    TxParticipant p = new TxParticipant(f.baseUri(), ns, service);
    participants.add(p);
    registerInstance(service, service + "-1", p.port());
    return p;
  }

  void registerInstance(String service, String id, int port) {
    f.as(serviceKey).put(ApiPaths.expand(ApiPaths.INSTANCE, ns, service, id),
        Map.of("id", id, "host", "127.0.0.1", "port", port, "leaseSeconds", 3600)).expect(201);
  }

  ServerFixture.Response beginAs(String key, Map<String, Object> body) {
    return f.as(key).post(ApiPaths.expand(ApiPaths.TRANSACTIONS, ns), body);
  }

  String begin(String mode, String timeout) {
    JsonNode tx = beginAs(serviceKey, Map.of("tenant", "acme", "mode", mode, "name", "place-order", "timeout", timeout))
        .expect(201).json();
    assertThat(tx.path("state").asText()).isEqualTo("active");
    return tx.path("xid").asText();
  }

  ServerFixture.Response branch(String xid, String service, String key) {
    return branch(xid, Map.of("tenant", "acme", "service", service, "action", "debit", "key", key, "instance",
        service + "-1", "data", Map.of("amount", 5)));
  }

  ServerFixture.Response branch(String xid, Map<String, Object> body) {
    return f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, ns, xid), body);
  }

  ServerFixture.Response commit(String xid, String query) {
    return f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_COMMIT, ns, xid) + query, null);
  }

  ServerFixture.Response rollback(String xid, String query) {
    return f.as(serviceKey).send("POST", ApiPaths.expand(ApiPaths.TRANSACTION_ROLLBACK, ns, xid) + query, null, null);
  }

  JsonNode tx(String xid) {
    return f.as(serviceKey).get(ApiPaths.expand(ApiPaths.TRANSACTION, ns, xid)).expect(200).json();
  }

  String state(String xid) {
    return tx(xid).path("state").asText();
  }

  static List<String> kinds(JsonNode tx) {
    List<String> out = new ArrayList<>();
    tx.path("events").forEach(e -> out.add(e.path("kind").asText()));
    return out;
  }

  @Test
  void jwks_isPublic_andNamesAnEd25519Key() {
    JsonNode jwks = f.anonymous().get(ApiPaths.JWKS).expect(200).json();

    assertThat(jwks.path("keys")).hasSize(1);
    assertThat(jwks.path("keys").get(0).path("crv").asText()).isEqualTo("Ed25519");
    assertThat(jwks.path("keys").get(0).path("kid").asText()).startsWith("tx-");
  }

  @Test
  void tccCommit_confirmsEveryBranch_withAValidToken_andEndsCommitted() {
    TxParticipant payment = participant("payment");
    TxParticipant order = participant("order");
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    branch(xid, "order", "o-1").expect(201);

    JsonNode committed = commit(xid, "?wait=10s").expect(200).json();

    assertThat(committed.path("state").asText()).isEqualTo("committed");
    assertThat(payment.done()).extracting(TxParticipant.Call::phase, TxParticipant.Call::branch, TxParticipant.Call::key)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BranchPhase.CONFIRM, 1, "w-1"));
    assertThat(payment.done().get(0).data().path("amount").asInt()).isEqualTo(5);
    assertThat(order.done()).extracting(TxParticipant.Call::phase, TxParticipant.Call::branch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BranchPhase.CONFIRM, 2));
    assertThat(payment.badTokens()).isEmpty();
    JsonNode tx = tx(xid);
    assertThat(kinds(tx)).containsExactly("begun", "commit", "committed");
    assertThat(tx.path("branches")).extracting(b -> b.path("state").asText()).containsOnly("committed");
    assertThat(tx.path("decidedAt").isNull()).isFalse();
    assertThat(tx.path("endedAt").isNull()).isFalse();
  }

  @Test
  void metrics_countSettledTransactions_phaseTwoCalls_andLogGroups() {
    participant("payment");
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    commit(xid, "?wait=10s").expect(200);

    String metrics = f.anonymous().get(ApiPaths.METRICS).expect(200).body();

    assertThat(metrics).containsPattern("tenantry_tx_settled_total\\{state=\"committed\"} [1-9]")
        .containsPattern("tenantry_tx_phase_two_calls_total\\{outcome=\"done\",phase=\"confirm\"} [1-9]")
        .containsPattern("tenantry_tx_log_group_writes_count [1-9]");
  }

  @Test
  void concurrentWaits_eachWaitItsOwnTime_aShortOneDoesNotAnswerALongOne() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    participant("payment").answer(r -> {
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    });
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    // the short wait first, the long one while it lasts: before the fix the long one shared the short one's end
    java.util.concurrent.CompletableFuture<JsonNode> hasty = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> commit(xid, "?wait=1s").expect(200).json());
    await().atMost(LONG).until(() -> state(xid).equals("committing"));
    java.util.concurrent.CompletableFuture<JsonNode> patient = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> commit(xid, "?wait=20s").expect(200).json());

    await().atMost(LONG).until(hasty::isDone);
    assertThat(hasty.get().path("state").asText()).isEqualTo("committing");
    await().during(Duration.ofMillis(500)).atMost(LONG).until(() -> !patient.isDone()); // not answered with it

    release.countDown();
    assertThat(patient.get(20, java.util.concurrent.TimeUnit.SECONDS).path("state").asText()).isEqualTo("committed");
  }

  @Test
  void commitWithoutWait_answersCommitting_andPhaseTwoFinishesAfter() {
    TxParticipant payment = participant("payment");
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);

    JsonNode answer = commit(xid, "").expect(200).json();

    assertThat(answer.path("state").asText()).isIn("committing", "committed");
    await().atMost(LONG).until(() -> state(xid).equals("committed"));
    assertThat(payment.done()).hasSize(1);
  }

  @Test
  void rollback_cancelsEveryBranch() {
    TxParticipant payment = participant("payment");
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    branch(xid, "payment", "w-2").expect(201);

    JsonNode answer = f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_ROLLBACK, ns, xid) + "?wait=10s",
        Map.of("reason", "card declined")).expect(200).json();

    assertThat(answer.path("state").asText()).isEqualTo("rolled-back");
    assertThat(answer.path("reason").asText()).isEqualTo("card declined");
    assertThat(payment.done()).extracting(TxParticipant.Call::phase).containsOnly(BranchPhase.CANCEL).hasSize(2);
    assertThat(kinds(tx(xid))).containsExactly("begun", "rollback", "rolled-back");
  }

  @Test
  void timeout_rollsBack_cancels_andALateCommitIsRefusedNamingTheTimeout() {
    TxParticipant payment = participant("payment");
    String xid = begin("tcc", "1s");
    branch(xid, "payment", "w-1").expect(201);

    await().atMost(LONG).until(() -> state(xid).equals("rolled-back"));

    assertThat(payment.done()).extracting(TxParticipant.Call::phase).containsExactly(BranchPhase.CANCEL);
    JsonNode tx = tx(xid);
    assertThat(tx.path("reason").asText()).isEqualTo("timeout");
    assertThat(kinds(tx)).containsExactly("begun", "timeout", "rolled-back");
    ServerFixture.Response late = commit(xid, "").expect(409);
    assertThat(late.json().path("type").asText()).endsWith("/transaction-rolled-back");
    assertThat(late.json().path("detail").asText()).contains("timeout");
    branch(xid, "payment", "w-2").expect(409);
  }

  /** Begins a TCC transaction of acme with these request headers; its xid. */
  String beginWith(Map<String, String> headers) throws Exception {
    String body = ServerFixture.JSON.writeValueAsString(Map.of("tenant", "acme", "mode", "tcc", "name", "place-order"));
    return f.as(serviceKey).send("POST", ApiPaths.expand(ApiPaths.TRANSACTIONS, ns), body, "application/json", headers)
        .expect(201).json().path("xid").asText();
  }

  @Test
  void aBeginsSampledTraceContext_goesWithEveryPhaseTwoAttempt_eachASpanInTheCollector() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TxParticipant payment = participant("payment").answer(r -> calls.incrementAndGet() == 1 ? 503 : 200);
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String begunIn = "00f067aa0ba902b7";
    String xid = beginWith(Map.of("traceparent", "00-" + traceId + "-" + begunIn + "-01", "tracestate", "vendor=x"));
    branch(xid, "payment", "w-1").expect(201);

    commit(xid, "?wait=10s").expect(200);

    assertThat(payment.calls()).extracting(TxParticipant.Call::answered).containsExactly(503, 200);
    List<String> sentSpanIds = new ArrayList<>();
    for (TxParticipant.Call c : payment.calls()) {
      assertThat(c.trace().traceparent()).matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain(begunIn);
      assertThat(c.trace().tracestate()).isEqualTo("vendor=x");
      assertThat(c.trace().caller()).isEqualTo("tenantry-coordinator");
      sentSpanIds.add(c.trace().traceparent().substring(36, 52));
    }
    assertThat(sentSpanIds).doesNotHaveDuplicates();
    String viewer = f.key(ns, "viewer");
    await().atMost(LONG).until(() -> f.as(viewer).get("/api/v2/trace/" + traceId).status() == 200);
    List<zipkin2.Span> spans = zipkin2.codec.SpanBytesDecoder.JSON_V2.decodeList(
        f.as(viewer).get("/api/v2/trace/" + traceId).body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).stream()
        .sorted(java.util.Comparator.comparing(s -> s.tags().get("tenantry.attempt"))).toList();
    assertThat(spans).extracting(zipkin2.Span::id).containsExactlyElementsOf(sentSpanIds);
    assertThat(spans).allSatisfy(s -> {
      assertThat(s.parentId()).isEqualTo(begunIn);
      assertThat(s.kind()).isEqualTo(zipkin2.Span.Kind.CLIENT);
      assertThat(s.name()).isEqualTo("confirm debit");
      assertThat(s.localServiceName()).isEqualTo("tenantry-coordinator");
      assertThat(s.remoteServiceName()).isEqualTo("payment");
      assertThat(s.tags()).containsEntry("tenant.id", "acme").containsEntry("tenantry.xid", xid)
          .containsEntry("tenantry.branch", "1").containsEntry("tenantry.phase", "confirm")
          .containsEntry("tenantry.instance", "payment-1");
    });
    assertThat(spans.get(0).tags()).containsEntry("tenantry.attempt", "1").containsEntry("tenantry.outcome", "retry")
        .containsEntry("http.response.status_code", "503").containsKey("error");
    assertThat(spans.get(1).tags()).containsEntry("tenantry.attempt", "2").containsEntry("tenantry.outcome", "done")
        .doesNotContainKey("error");
  }

  @Test
  void anUnsampledContext_passesOnUnchangedWithoutSpans_andAMalformedOneIsNone() throws Exception {
    TxParticipant payment = participant("payment");
    String unsampled = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    String quiet = beginWith(Map.of("traceparent", unsampled));
    String malformed = beginWith(Map.of("traceparent", "00-" + "z".repeat(32) + "-00f067aa0ba902b7-01",
        "tracestate", "a=b"));
    for (String xid : List.of(quiet, malformed)) {
      branch(xid, "payment", "w-" + xid.substring(24)).expect(201);
      commit(xid, "?wait=10s").expect(200);
    }

    assertThat(payment.calls()).extracting(c -> c.trace().traceparent()).containsExactly(unsampled, null);
    assertThat(payment.calls()).extracting(c -> c.trace().tracestate()).containsOnlyNulls();
    String viewer = f.key(ns, "viewer");
    assertThat(f.as(viewer).get("/api/v2/trace/5bf92f3577b34da6a3ce929d0e0e4736").status()).isEqualTo(404);
  }

  @Test
  void aParticipantAnswering503_isRetriedWithBackoff_untilItAcknowledges() {
    AtomicInteger calls = new AtomicInteger();
    TxParticipant payment = participant("payment").answer(r -> calls.incrementAndGet() <= 3 ? 503 : 200);
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);

    commit(xid, "").expect(200);

    await().atMost(LONG).until(() -> state(xid).equals("committed"));
    assertThat(payment.calls()).extracting(TxParticipant.Call::answered).containsExactly(503, 503, 503, 200);
    JsonNode b = tx(xid).path("branches").get(0);
    assertThat(b.path("attempts").asInt()).isEqualTo(4);
    assertThat(b.path("state").asText()).isEqualTo("committed");
  }

  @Test
  void aParticipantThatIsDown_isRetried_andTheBranchFinishesWhenItIsBack() {
    TxParticipant payment = participant("payment");
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    payment.stop();

    commit(xid, "").expect(200);

    await().atMost(LONG).until(() -> tx(xid).path("branches").get(0).path("attempts").asInt() >= 3);
    JsonNode waiting = tx(xid);
    assertThat(waiting.path("state").asText()).isEqualTo("committing");
    assertThat(waiting.path("branches").get(0).path("lastError").asText()).contains("payment-1");
    payment.restart();
    await().atMost(LONG).until(() -> state(xid).equals("committed"));
    assertThat(payment.done()).extracting(TxParticipant.Call::phase).containsExactly(BranchPhase.CONFIRM);
  }

  @Test
  void phaseTwo_goesToAnotherUpInstance_whenTheOneThatRegisteredIsGone() {
    TxParticipant first = participant("payment");
    TxParticipant second = new TxParticipant(f.baseUri(), ns, "payment");
    participants.add(second);
    registerInstance("payment", "payment-2", second.port());
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    f.as(serviceKey).delete(ApiPaths.expand(ApiPaths.INSTANCE, ns, "payment", "payment-1")).expect(204);

    commit(xid, "?wait=10s").expect(200);

    assertThat(state(xid)).isEqualTo("committed");
    assertThat(first.calls()).isEmpty();
    assertThat(second.done()).hasSize(1);
  }

  @Test
  void a409_makesItStuck_thenAnOperatorsRetryFinishesIt_withAuditEvents() {
    TxParticipant payment = participant("payment").answer(r -> 409);
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);

    JsonNode stuck = commit(xid, "?wait=10s").expect(200).json();

    assertThat(stuck.path("state").asText()).isEqualTo("stuck");
    assertThat(stuck.path("reason").asText()).contains("branch 1").contains("refused confirm");
    JsonNode b = tx(xid).path("branches").get(0);
    assertThat(b.path("state").asText()).isEqualTo("failed");
    assertThat(b.path("lastError").asText()).contains("scripted 409");

    String viewer = f.key(ns, "viewer");
    f.as(viewer).post(ApiPaths.expand(ApiPaths.TRANSACTION_RETRY, ns, xid), null).expect(403);
    f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_RETRY, ns, xid), null).expect(403);
    String operator = f.key(ns, "operator");
    payment.answer(r -> 200);
    f.as(operator).post(ApiPaths.expand(ApiPaths.TRANSACTION_RETRY, ns, xid), null).expect(200);

    await().atMost(LONG).until(() -> state(xid).equals("committed"));
    JsonNode tx = tx(xid);
    assertThat(kinds(tx)).containsExactly("begun", "commit", "stuck", "retry", "committed");
    String operatorKeyId = tx.path("events").get(3).path("actor").asText();
    assertThat(operatorKeyId).isNotEqualTo("coordinator").isNotEqualTo(tx.path("events").get(1).path("actor").asText());
    assertThat(operator).contains(operatorKeyId);
    f.as(operator).post(ApiPaths.expand(ApiPaths.TRANSACTION_RETRY, ns, xid), null).expect(409);
  }

  @Test
  void aStuckTransaction_isResolvedByAnOperator_withTheReasonAudited() {
    participant("payment").answer(r -> 409);
    String xid = begin("tcc", "30s");
    branch(xid, "payment", "w-1").expect(201);
    rollback(xid, "?wait=10s").expect(200);
    assertThat(state(xid)).isEqualTo("stuck");
    String operator = f.key(ns, "operator");

    f.as(operator).post(ApiPaths.expand(ApiPaths.TRANSACTION_RESOLVE, ns, xid), Map.of("outcome", "active", "reason", "x"))
        .expect(400);
    JsonNode resolved = f.as(operator).post(ApiPaths.expand(ApiPaths.TRANSACTION_RESOLVE, ns, xid),
        Map.of("outcome", "rolled-back", "reason", "refunded by hand, ticket 42")).expect(200).json();

    assertThat(resolved.path("state").asText()).isEqualTo("rolled-back");
    JsonNode tx = tx(xid);
    assertThat(kinds(tx)).containsExactly("begun", "rollback", "stuck", "resolved");
    assertThat(tx.path("events").get(3).path("detail").asText()).isEqualTo("rolled-back: refunded by hand, ticket 42");
    f.as(operator).post(ApiPaths.expand(ApiPaths.TRANSACTION_RESOLVE, ns, xid),
        Map.of("outcome", "committed", "reason", "again")).expect(409);
  }

  @Test
  void sagaRollback_compensatesInStrictReverseOrder_oneAtATime() {
    TxParticipant payment = participant("payment");
    String xid = begin("saga", "30s");
    for (int i = 1; i <= 4; i++) {
      branch(xid, "payment", "step-" + i).expect(201);
    }

    rollback(xid, "?wait=10s").expect(200);

    assertThat(state(xid)).isEqualTo("rolled-back");
    List<TxParticipant.Call> done = payment.done();
    assertThat(done).extracting(TxParticipant.Call::branch).containsExactly(4, 3, 2, 1);
    assertThat(done).extracting(TxParticipant.Call::phase).containsOnly(BranchPhase.COMPENSATE);
    for (int i = 1; i < done.size(); i++) {
      assertThat(done.get(i).startNanos()).as("each starts after the one before ended").isGreaterThan(done.get(i - 1).endNanos());
    }
    assertThat(payment.maxInFlight()).isEqualTo(1);
  }

  @Test
  void sagaCommit_endsAtOnce_withoutCallingAnyone() {
    TxParticipant payment = participant("payment");
    String xid = begin("saga", "30s");
    branch(xid, "payment", "step-1").expect(201);

    JsonNode committed = commit(xid, "").expect(200).json();

    assertThat(committed.path("state").asText()).isEqualTo("committed");
    assertThat(tx(xid).path("branches").get(0).path("state").asText()).isEqualTo("committed");
    assertThat(payment.calls()).isEmpty();
  }

  @Test
  void aCompensationThatKeepsFailing_endsStuckWithTheReason_afterMaxAttempts() {
    TxParticipant payment = participant("payment").answer(r -> r.branch() == 1 ? 503 : 200);
    String xid = begin("saga", "30s");
    branch(xid, "payment", "step-1").expect(201);
    branch(xid, "payment", "step-2").expect(201);

    rollback(xid, "?wait=15s").expect(200);

    JsonNode tx = tx(xid);
    assertThat(tx.path("state").asText()).isEqualTo("stuck");
    assertThat(tx.path("reason").asText()).contains("branch 1").contains("compensation failed 3 times").contains("503");
    assertThat(tx.path("branches").get(0).path("state").asText()).isEqualTo("failed");
    assertThat(tx.path("branches").get(0).path("attempts").asInt()).isEqualTo(3);
    assertThat(tx.path("branches").get(1).path("state").asText()).isEqualTo("rolled-back");
    assertThat(payment.calls()).extracting(TxParticipant.Call::branch).containsExactly(2, 1, 1, 1);
  }

  @Test
  void commitRollbackAndBranch_areIdempotent_andTheOtherDecisionIsRefused() {
    participant("payment");
    String xid = begin("tcc", "30s");
    JsonNode first = branch(xid, "payment", "w-1").expect(201).json();
    JsonNode again = branch(xid, "payment", "w-1").expect(200).json();
    assertThat(again.path("id").asInt()).isEqualTo(first.path("id").asInt());

    commit(xid, "?wait=10s").expect(200);
    assertThat(commit(xid, "").expect(200).json().path("state").asText()).isEqualTo("committed");
    ServerFixture.Response refused = rollback(xid, "").expect(409);
    assertThat(refused.json().path("type").asText()).endsWith("/transaction-committed");
    ServerFixture.Response late = branch(xid, "payment", "w-2").expect(409);
    assertThat(late.json().path("type").asText()).endsWith("/transaction-not-active");
    assertThat(late.json().path("detail").asText()).contains("committed");

    String other = begin("tcc", "30s");
    rollback(other, "").expect(200);
    rollback(other, "").expect(200);
    assertThat(commit(other, "").expect(409).json().path("type").asText()).endsWith("/transaction-rolled-back");
  }

  @Test
  void concurrentCommitsAndRollbacks_oneDecisionWins_andOnlyItsPhaseTwoIsSent() throws Exception {
    TxParticipant payment = participant("payment");
    for (int round = 0; round < 5; round++) {
      String xid = begin("tcc", "30s");
      branch(xid, "payment", "w-" + round).expect(201);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<Integer>> commits = new ArrayList<>();
      List<java.util.concurrent.Future<Integer>> rollbacks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        commits.add(pool.submit(() -> commit(xid, "").status()));
        rollbacks.add(pool.submit(() -> rollback(xid, "").status()));
      }
      List<Integer> c = new ArrayList<>();
      List<Integer> r = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        c.add(commits.get(i).get());
        r.add(rollbacks.get(i).get());
      }
      pool.shutdown();

      await().atMost(LONG).until(() -> state(xid).equals("committed") || state(xid).equals("rolled-back"));
      boolean committed = state(xid).equals("committed");
      assertThat(c).as("commits, round %d", round).containsOnly(committed ? 200 : 409);
      assertThat(r).as("rollbacks, round %d", round).containsOnly(committed ? 409 : 200);
      assertThat(payment.done().stream().filter(call -> call.xid().equals(xid)).map(TxParticipant.Call::phase).toList())
          .containsExactly(committed ? BranchPhase.CONFIRM : BranchPhase.CANCEL);
      assertThat(kinds(tx(xid))).as("one decision").containsOnlyOnce(committed ? "commit" : "rollback")
          .doesNotContain(committed ? "rollback" : "commit");
    }
  }

  @Test
  void list_isNewestFirst_andFiltersByTenantAndState() {
    String a = begin("tcc", "30s");
    String b = begin("tcc", "30s");
    commit(b, "").expect(200);
    String c = beginAs(serviceKey, Map.of("tenant", "globex")).expect(201).json().path("xid").asText();
    String viewer = f.key(ns, "viewer");
    String list = ApiPaths.expand(ApiPaths.TRANSACTIONS, ns);

    assertThat(f.as(viewer).get(list).expect(200).json().path("items")).extracting(t -> t.path("xid").asText())
        .containsExactly(c, b, a);
    assertThat(f.as(viewer).get(list + "?tenant=acme&state=active").expect(200).json().path("items"))
        .extracting(t -> t.path("xid").asText()).containsExactly(a);
    assertThat(f.as(viewer).get(list + "?limit=1").expect(200).json().path("items")).hasSize(1);
    f.as(viewer).get(list + "?limit=1001").expect(400);
    f.as(viewer).get(list + "?state=bogus").expect(400);
    assertThat(f.as(viewer).get(list).json().path("items").get(0).has("branches")).isTrue();
  }

  @Test
  void list_pagesOn_withTheNextCursorOfAFullPage() {
    String a = begin("tcc", "30s");
    String b = begin("tcc", "30s");
    String c = begin("tcc", "30s");
    String list = ApiPaths.expand(ApiPaths.TRANSACTIONS, ns);

    JsonNode first = f.as(serviceKey).get(list + "?limit=2").expect(200).json();
    assertThat(first.path("items")).extracting(t -> t.path("xid").asText()).containsExactly(c, b);
    assertThat(first.path("next").asText()).isEqualTo(b);
    JsonNode second = f.as(serviceKey).get(list + "?limit=2&before=" + first.path("next").asText()).expect(200).json();
    assertThat(second.path("items")).extracting(t -> t.path("xid").asText()).containsExactly(a);
    assertThat(second.has("next")).as("a page that is not full is the last").isFalse();
    problem(f.as(serviceKey).get(list + "?before=not-an-xid"), 400, "invalid-input");
  }

  @Test
  void badInput_isAnsweredWithAClearProblem_andChangesNothing() {
    String xid = begin("tcc", "30s");
    String txs = ApiPaths.expand(ApiPaths.TRANSACTIONS, ns);

    problem(f.as(serviceKey).send("POST", txs, "{\"tenant\":", "application/json"), 400, "invalid-input");
    problem(beginAs(serviceKey, Map.of("tenant", "acme", "timeout", "2h")), 400, "invalid-input");
    problem(beginAs(serviceKey, Map.of("tenant", "acme", "mode", "xa")), 400, "invalid-input");
    problem(beginAs(serviceKey, Map.of("tenant", "nobody")), 404, "tenant-not-found");
    problem(beginAs(serviceKey, Map.of("tenant", "dormant")), 403, "tenant-suspended");
    problem(beginAs(f.key(ns, "viewer"), Map.of("tenant", "acme")), 403, "forbidden");
    problem(f.as("tnt_nope_nope").post(txs, Map.of("tenant", "acme")), 401, "unauthorized");

    String elsewhere = "elsewhere" + n;
    f.namespace(elsewhere);
    String foreignKey = f.key(elsewhere, "namespace-admin");
    problem(beginAs(foreignKey, Map.of("tenant", "acme")), 404, "not-found");
    problem(f.as(foreignKey).get(ApiPaths.expand(ApiPaths.TRANSACTION, ns, xid)), 404, "not-found");
    problem(f.as(foreignKey).get(ApiPaths.expand(ApiPaths.TRANSACTION, elsewhere, xid)), 404, "transaction-not-found");

    problem(f.as(serviceKey).get(ApiPaths.expand(ApiPaths.TRANSACTION, ns, "not-an-xid")), 400, "invalid-input");
    problem(commit("0123456789abcdef0123456789ABCDEF", ""), 400, "invalid-input");
    problem(commit("0123456789abcdef0123456789abcdef", ""), 404, "transaction-not-found");
    problem(commit(xid, "?wait=31s"), 400, "invalid-input");
    problem(branch(xid, Map.of("tenant", "globex", "service", "payment", "action", "debit", "key", "k")), 409, "tenant-mismatch");
    problem(branch(xid, Map.of("tenant", "acme", "service", "Payment!", "action", "debit", "key", "k")), 400, "invalid-input");
    problem(branch(xid, Map.of("tenant", "acme", "service", "payment", "action", "debit", "key", "k",
        "data", Map.of("blob", "x".repeat(9 * 1024)))), 413, "payload-too-large");
    problem(f.as(serviceKey).send("POST", ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, ns, xid), "[1,2", "application/json"),
        400, "invalid-input");
    problem(f.as(serviceKey).send("POST", ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, ns, xid), "{}", "text/plain"),
        415, "unsupported-media-type");
    problem(f.raw("POST", ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, ns, xid), serviceKey, 10_000_000), 413,
        "payload-too-large");

    JsonNode unchanged = tx(xid);
    assertThat(unchanged.path("state").asText()).isEqualTo("active");
    assertThat(unchanged.path("branches")).isEmpty();
  }

  @Test
  void tooManyBranches_isRefused_andTheRegisteredOnesStand() {
    String xid = begin("tcc", "30s");
    for (int i = 1; i <= io.tenantry.api.tx.Xids.MAX_BRANCHES; i++) {
      branch(xid, Map.of("tenant", "acme", "service", "payment", "action", "debit", "key", "k" + i)).expect(201);
    }

    problem(branch(xid, Map.of("tenant", "acme", "service", "payment", "action", "debit", "key", "one-more")), 409,
        "too-many-branches");
    assertThat(tx(xid).path("branches")).hasSize(io.tenantry.api.tx.Xids.MAX_BRANCHES);
  }

  static void problem(ServerFixture.Response r, int status, String type) {
    r.expect(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().path("type").asText()).endsWith("/" + type);
    assertThat(r.json().path("detail").asText()).isNotBlank();
  }
}
