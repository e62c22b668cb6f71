package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.client.ControlPlaneFixture;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.internal.tx.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed transactions end to end with the real control plane in-process (its coordinator) and two services
 * over real HTTP, each with its own database: {@code order} (initiator, and a participant with its own TCC action
 * and saga steps; H2 in PostgreSQL mode) and {@code payment} (a participant; real PostgreSQL). Both are JDK HTTP
 * servers behind TenantryHttpFilter, registered through the SDK; the coordinator calls their phase-two endpoints.
 */
class TxEndToEndIT {
  static final Duration LONG = Duration.ofSeconds(20);

  /** The arguments of the actions. */
  public record Money(String account, long amount) {}

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private TestDatabases.Db orderDb;
  private TestDatabases.Db paymentDb;
  private TenantryClient order;
  private TenantryClient payment;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  /** What each service's functions did, in order. */
  private final List<String> orderLog = new CopyOnWriteArrayList<>();
  private final List<String> paymentLog = new CopyOnWriteArrayList<>();
  /** The X-Tenantry-Xid of every call the payment service served. */
  private final List<String> paymentXids = new CopyOnWriteArrayList<>();
  private TccAction<Money> reserve;
  private SagaStep<Money> stepA;
  private SagaStep<Money> stepB;
  private SagaStep<Money> stepFails;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "pooled", "active");
    orderDb = TestDatabases.h2(true);
    paymentDb = TestDatabases.postgres();

    payment = cp.started(cp.client("shop", key, null).serviceName("payment").transactionLog(paymentDb.dataSource()));
    TccAction<Money> debit = payment.transactions().tcc("debit", Money.class,
        (ctx, c, m) -> paymentLog.add("try " + ctx.key() + " " + m.amount()),
        (ctx, c, m) -> paymentLog.add("confirm " + ctx.key()),
        (ctx, c, m) -> paymentLog.add("cancel " + ctx.key()));
    servers.add(TxService.start(payment, "payment", ex -> {
      paymentXids.add(ex.getRequestHeaders().getFirst("X-Tenantry-Xid"));
      String orderId = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean first = debit.tryBranch(orderId, new Money("alice", 30));
      return first ? "ran" : "replayed";
    }));

    order = cp.started(cp.client("shop", key, null).serviceName("order").transactionLog(orderDb.dataSource()));
    Transactions tx = order.transactions();
    reserve = tx.tcc("reserve", Money.class,
        (ctx, c, m) -> orderLog.add("try " + ctx.key()),
        (ctx, c, m) -> orderLog.add("confirm " + ctx.key()),
        (ctx, c, m) -> orderLog.add("cancel " + ctx.key()));
    stepA = tx.sagaStep("step-a", Money.class, (ctx, c, m) -> orderLog.add("a"), (ctx, c, m) -> orderLog.add("undo a"));
    stepB = tx.sagaStep("step-b", Money.class, (ctx, c, m) -> orderLog.add("b"), (ctx, c, m) -> orderLog.add("undo b"));
    stepFails = tx.sagaStep("step-c", Money.class, (ctx, c, m) -> {
      throw new IllegalStateException("step c says no");
    }, (ctx, c, m) -> orderLog.add("undo c"));
    servers.add(TxService.start(order, "order", ex -> "nothing here"));
    await().atMost(LONG).until(() -> !order.instances("payment").isEmpty());
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    cp.close();
    orderDb.close();
    paymentDb.close();
  }

  private String debitAtPayment(String orderId) throws Exception {
    HttpResponse<String> r = order.http().send(HttpRequest.newBuilder(URI.create("http://payment/debit"))
        .POST(HttpRequest.BodyPublishers.ofString(orderId)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private JsonNode coordinatorView(String xid) {
    return cp.transaction("shop", xid);
  }

  @Test
  void tccCommit_confirmsBothBranches_andTheIdTravelsInTheHeader() throws Exception {
    String xid;
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      xid = order.transactions().inTransaction(TxOptions.tcc("place-order").waitForPhaseTwo(Duration.ofSeconds(10)),
          g -> {
            reserve.tryBranch("o-1", new Money("alice", 30));
            assertThat(debitAtPayment("o-1")).isEqualTo("ran");
            return g.xid();
          });
    }
    await().atMost(LONG).untilAsserted(() -> {
      assertThat(orderLog).containsExactly("try o-1", "confirm o-1");
      assertThat(paymentLog).containsExactly("try o-1 30", "confirm o-1");
    });
    assertThat(paymentXids).containsExactly(xid);
    await().atMost(LONG).until(() -> coordinatorView(xid).get("state").asText().equals("committed"));
    assertThat(coordinatorView(xid).get("branches")).hasSize(2);
  }

  @Test
  void aFailingBody_rollsBack_andCancelsBothBranches() throws Exception {
    CopyOnWriteArrayList<String> xids = new CopyOnWriteArrayList<>();
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> order.transactions().inTransaction(TxOptions.tcc("place-order"), g -> {
        xids.add(g.xid());
        reserve.tryBranch("o-2", new Money("alice", 30));
        debitAtPayment("o-2");
        throw new IllegalStateException("out of stock");
      })).isInstanceOf(IllegalStateException.class).hasMessage("out of stock");
    }
    await().atMost(LONG).untilAsserted(() -> {
      assertThat(orderLog).containsExactly("try o-2", "cancel o-2");
      assertThat(paymentLog).containsExactly("try o-2 30", "cancel o-2");
    });
    await().atMost(LONG).until(() -> coordinatorView(xids.get(0)).get("state").asText().equals("rolled-back"));
    assertThat(order.transactions().current()).isNull();
  }

  @Test
  void aRetriedRemoteTry_registersOnce_andTriesOnce() throws Exception {
    String xid;
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      xid = order.transactions().inTransaction(TxOptions.tcc("place-order").waitForPhaseTwo(Duration.ofSeconds(10)),
          g -> {
            assertThat(debitAtPayment("o-3")).isEqualTo("ran");
            assertThat(debitAtPayment("o-3")).isEqualTo("replayed"); // the caller retried: nothing ran again
            return g.xid();
          });
    }
    await().atMost(LONG).untilAsserted(() -> assertThat(paymentLog).containsExactly("try o-3 30", "confirm o-3"));
    assertThat(coordinatorView(xid).get("branches")).hasSize(1);
  }

  @Test
  void aTryWhoseCancelArrivedFirst_isRefused_andRunsNothing() throws Exception {
    io.tenantry.client.internal.tx.FenceLog paymentFence =
        new io.tenantry.client.internal.tx.FenceLog(paymentDb.dataSource(), java.time.Clock.systemUTC());
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> order.transactions().inTransaction(TxOptions.tcc("place-order"), g -> {
        // the cancel of the branch this transaction's first registration gets (1) reached payment before its try
        paymentFence.rollback(g.xid(), 1, "debit", "acme", c -> {});
        HttpResponse<String> r = order.http().send(HttpRequest.newBuilder(URI.create("http://payment/debit"))
            .POST(HttpRequest.BodyPublishers.ofString("o-5")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("BranchRefusedException").contains("suspended");
        throw new IllegalStateException("payment refused");
      })).hasMessage("payment refused");
    }
    assertThat(paymentLog).isEmpty();
  }

  @Test
  void pastItsTimeout_aBranchIsRefused_andCommitSaysRolledBack() {
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> order.transactions().inTransaction(TxOptions.tcc("slow").timeout(Duration.ofSeconds(1)),
          g -> {
            await().atMost(LONG).until(() -> coordinatorView(g.xid()).get("state").asText().equals("rolled-back"));
            assertThatThrownBy(() -> reserve.tryBranch("o-4", new Money("alice", 1)))
                .isInstanceOf(BranchRefusedException.class);
            return null;
          })).isInstanceOf(TxRolledBackException.class).hasMessageContaining("timeout");
    }
    assertThat(orderLog).isEmpty();
  }

  @Test
  void aSagaThatFails_isCompensatedInReverseOrder() {
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      Money m = new Money("alice", 5);
      assertThatThrownBy(() -> order.transactions().saga("refund").step(stepA, "r-1", m).step(stepB, "r-1", m)
          .step(stepFails, "r-1", m).run()).hasMessage("step c says no");
    }
    // c never ran (its compensation is an empty rollback), then b, then a: strictly the reverse
    await().atMost(LONG).untilAsserted(() -> assertThat(orderLog).containsExactly("a", "b", "undo b", "undo a"));
  }

  @Test
  void aSagaThatSucceeds_standsWithoutPhaseTwo() {
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      Money m = new Money("alice", 5);
      order.transactions().saga("refund").step(stepA, "r-2", m).step(stepB, "r-2", m).run();
    }
    assertThat(orderLog).containsExactly("a", "b");
  }
}
