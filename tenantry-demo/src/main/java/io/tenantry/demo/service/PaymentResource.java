package io.tenantry.demo.service;

import io.tenantry.api.Headers;
import io.tenantry.api.Names;
import io.tenantry.client.tx.SagaStep;
import io.tenantry.client.tx.TccAction;
import io.tenantry.client.tx.Transactions;
import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.service.Records.Payment;
import io.tenantry.demo.service.Router.Response;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.Wallets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment service, a participant of the orders' transactions. {@code POST /payments} (with
 * {@code Idempotency-Key} = the order id, on a call that carries its global transaction's id) is the
 * {@code debit} branch: its try holds the order's amount in the customer's wallet (balance to frozen,
 * debit tried), which the coordinator later confirms (spent, debit done) or cancels (back, cancelled)
 * through the SDK's phase-two endpoint; a retry of the call finds the branch and its first try (200), a
 * wallet without enough money is a 409 ({@code insufficient-funds}). {@code POST /payments/{orderId}/refund}
 * is the refund saga's {@code credit} step (the money back; compensated by taking it again).
 * {@code GET /payments/{orderId}}. The books live in the service's database, shared by its instances.
 * The injected faults ({@link FaultSwitch}) act around the try: refused before it, slow inside it, a halt
 * of the JVM right after it committed. Thread-safe.
 */
final class PaymentResource implements Resource {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** The exit status of a JVM halted on purpose after a try. */
  static final int HALT_STATUS = 86;
  private static final Logger log = LoggerFactory.getLogger(PaymentResource.class);

  /** What the {@code debit} branch registers with the coordinator (its key is the order id). */
  record DebitArgs(String customer, long amount) {}

  /** What the {@code credit} step registers (its key is the order id). */
  record CreditArgs(String orderId) {}

  private final Database db;
  private final Wallets wallets = new Wallets();
  private final Transactions transactions;
  private final FaultSwitch faults;
  private final Counters counters;
  private final Runnable halt;
  private final TccAction<DebitArgs> debit;
  private final SagaStep<CreditArgs> credit;

  /** {@code halt}: what the halt fault does (the JVM's {@code Runtime.halt} in a service; a test records it). */
  PaymentResource(Database db, Transactions transactions, FaultSwitch faults, Counters counters, String instanceId,
      Runnable halt) {
    this.db = db;
    this.transactions = transactions;
    this.faults = faults;
    this.counters = counters;
    this.halt = halt;
    this.debit = transactions.tcc("debit", DebitArgs.class,
        (ctx, c, d) -> {
          sleepIfSlow(ctx.tenant());
          wallets.tryDebit(c, ctx.tenant(), ctx.key(), d.customer(), d.amount(), instanceId, ctx.xid());
        },
        (ctx, c, d) -> {
          wallets.confirmDebit(c, ctx.tenant(), ctx.key());
          counters.increment(ctx.tenant(), "charges");
        },
        (ctx, c, d) -> {
          wallets.cancelDebit(c, ctx.tenant(), ctx.key());
          counters.increment(ctx.tenant(), "cancels");
        });
    this.credit = transactions.sagaStep("credit", CreditArgs.class,
        (ctx, c, r) -> {
          wallets.credit(c, ctx.tenant(), ctx.key());
          counters.increment(ctx.tenant(), "refunds");
        },
        (ctx, c, r) -> wallets.uncredit(c, ctx.tenant(), ctx.key()));
  }

  static Runnable haltJvm(String instanceId) {
    return () -> {
      log.warn("{}: halting the JVM after a try committed, before answering (fault haltAfterTry)", instanceId);
      Runtime.getRuntime().halt(HALT_STATUS);
    };
  }

  @Override
  public void routes(Router router) {
    router.tenantRoute("POST", "/payments", (tenant, request) -> {
      String key = idempotencyKey(request);
      NewPayment payment = request.body(NewPayment.class);
      if (!key.equals(payment.orderId())) {
        throw HttpProblem.badRequest(IDEMPOTENCY_KEY, "'" + key + "' (expected: the order id " + payment.orderId() + ")");
      }
      boolean first = pay(tenant, payment);
      return new Response(first ? 201 : 200, Payment.of(find(tenant, payment.orderId())));
    });
    router.tenantRoute("POST", "/payments/([^/]+)/refund", (tenant, request) -> {
      String orderId = Names.id("orderId", request.param(1));
      refund(tenant, orderId);
      return new Response(200, Payment.of(find(tenant, orderId)));
    });
    router.tenantRoute("GET", "/payments/([^/]+)", (tenant, request) ->
        new Response(200, Payment.of(find(tenant, Names.id("orderId", request.param(1))))));
  }

  /**
   * The debit branch of the current transaction; true if its try ran now, false on a retry. A retry for
   * another amount or customer is a 409 (the order id was paid otherwise).
   */
  boolean pay(String tenant, NewPayment p) {
    requireTransaction();
    refuseIfInjected(tenant);
    boolean first;
    try {
      first = debit.tryBranch(p.orderId(), new DebitArgs(p.customer(), p.amount()));
    } catch (RuntimeException e) {
      throw TxProblems.of("payment of order " + p.orderId(), e);
    }
    counters.increment(tenant, first ? "tries" : "replays");
    if (first && faults.haltsAfterTry()) {
      halt.run(); // the try stands, its caller has no answer: the coordinator must settle it
    }
    Wallets.Debit d = find(tenant, p.orderId());
    if (d.amount() != p.amount() || !d.customer().equals(p.customer())) {
      throw new HttpProblem(409, "idempotency-conflict", IDEMPOTENCY_KEY + ": '" + p.orderId()
          + "' was paid with another amount or customer (expected: the same payment on a retry)", IDEMPOTENCY_KEY);
    }
    return first;
  }

  /** The credit step of the current saga: the order's amount back to the wallet. */
  void refund(String tenant, String orderId) {
    requireTransaction();
    refuseIfInjected(tenant);
    try {
      credit.run(orderId, new CreditArgs(orderId));
    } catch (RuntimeException e) {
      throw TxProblems.of("refund of order " + orderId, e);
    }
  }

  private Wallets.Debit find(String tenant, String orderId) {
    return Books.run(db, c -> wallets.find(c, tenant, orderId))
        .orElseThrow(() -> HttpProblem.notFound("payment of order", orderId));
  }

  private void requireTransaction() {
    if (transactions.current() == null) {
      throw new HttpProblem(400, "transaction-required", Headers.XID
          + ": missing (expected: the id of the global transaction this payment is a branch of)", Headers.XID);
    }
  }

  private static String idempotencyKey(Router.Request request) {
    String key = request.header(IDEMPOTENCY_KEY);
    if (key == null) {
      throw new HttpProblem(400, "idempotency-key-required", IDEMPOTENCY_KEY
          + ": missing (expected: the order id, reused on retries)", IDEMPOTENCY_KEY);
    }
    return Names.id(IDEMPOTENCY_KEY, key);
  }

  private void refuseIfInjected(String tenant) {
    if (faults.failsNow()) {
      counters.increment(tenant, "injectedFailures");
      throw new HttpProblem(503, "injected-failure",
          "this instance refuses a share of its calls on purpose (fail rate " + faults.failRate() + "); retry");
    }
  }

  private void sleepIfSlow(String tenant) {
    Duration d = faults.slowTryNow();
    if (!d.isZero()) {
      counters.increment(tenant, "slowTries");
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpProblem(503, "interrupted", "interrupted while shutting down");
      }
    }
  }
}
