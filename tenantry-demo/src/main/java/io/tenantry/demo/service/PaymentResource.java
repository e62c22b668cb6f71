package io.tenantry.demo.service;

import io.tenantry.api.Names;
import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.service.Records.Payment;
import io.tenantry.demo.service.Router.Response;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.Wallets;
import io.tenantry.demo.store.Wallets.Tried;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment service: {@code POST /payments} with an {@code Idempotency-Key} header (the order id) takes
 * the order's amount from the customer's wallet once per order and tenant; a repeat answers 200 with the
 * first payment, the same order for another amount or customer is 409, a wallet without enough money 409
 * ({@code insufficient-funds}). {@code GET /payments/{orderId}}. The wallets and debits live in the
 * service's database, which every payment instance shares, so a retry reaching another instance finds the
 * first. The injected faults ({@link FaultSwitch}) act around the try: refused before it, slow inside it,
 * a halt of the JVM after it committed. Thread-safe.
 */
final class PaymentResource implements Resource {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** The exit status of a JVM halted on purpose after a try. */
  static final int HALT_STATUS = 86;
  private static final Logger log = LoggerFactory.getLogger(PaymentResource.class);

  private final Database db;
  private final Wallets wallets = new Wallets();
  private final FaultSwitch faults;
  private final Counters counters;
  private final String instanceId;
  private final Runnable halt;

  /** {@code halt}: what the halt fault does (the JVM's {@code Runtime.halt} in a service; a test records it). */
  PaymentResource(Database db, FaultSwitch faults, Counters counters, String instanceId, Runnable halt) {
    this.db = db;
    this.faults = faults;
    this.counters = counters;
    this.instanceId = instanceId;
    this.halt = halt;
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
      String key = request.header(IDEMPOTENCY_KEY);
      if (key == null) {
        throw new HttpProblem(400, "idempotency-key-required", IDEMPOTENCY_KEY
            + ": missing (expected: the order id, reused on retries)", IDEMPOTENCY_KEY);
      }
      Names.id(IDEMPOTENCY_KEY, key);
      NewPayment payment = request.body(NewPayment.class);
      if (!key.equals(payment.orderId())) {
        throw HttpProblem.badRequest(IDEMPOTENCY_KEY, "'" + key + "' (expected: the order id " + payment.orderId() + ")");
      }
      Tried tried = pay(tenant, payment);
      return new Response(tried.fresh() ? 201 : 200, Payment.of(tried.debit()));
    });
    router.tenantRoute("GET", "/payments/([^/]+)", (tenant, request) -> {
      String orderId = Names.id("orderId", request.param(1));
      return new Response(200, Payment.of(books(c -> wallets.find(c, tenant, orderId))
          .orElseThrow(() -> HttpProblem.notFound("payment of order", orderId))));
    });
  }

  /** Takes the payment once per order: tried and confirmed in one local transaction. */
  Tried pay(String tenant, NewPayment p) {
    refuseIfInjected(tenant);
    Tried tried = books(c -> {
      sleepIfSlow();
      Tried t = wallets.tryDebit(c, tenant, p.orderId(), p.customer(), p.amount(), instanceId, null);
      if (t.fresh()) {
        wallets.confirmDebit(c, tenant, p.orderId());
      }
      return t;
    });
    if (!tried.fresh() && (tried.debit().amount() != p.amount() || !tried.debit().customer().equals(p.customer()))) {
      throw new HttpProblem(409, "idempotency-conflict", IDEMPOTENCY_KEY + ": '" + p.orderId()
          + "' was paid with another amount or customer (expected: the same payment on a retry)", IDEMPOTENCY_KEY);
    }
    counters.increment(tenant, tried.fresh() ? "charges" : "replays");
    if (tried.fresh() && faults.haltsAfterTry()) {
      halt.run();
    }
    return tried;
  }

  private void refuseIfInjected(String tenant) {
    if (faults.failsNow()) {
      counters.increment(tenant, "injectedFailures");
      throw new HttpProblem(503, "injected-failure",
          "this instance refuses a share of its calls on purpose (fail rate " + faults.failRate() + "); retry");
    }
  }

  private void sleepIfSlow() {
    Duration d = faults.slowTryNow();
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpProblem(503, "interrupted", "interrupted while shutting down");
      }
    }
  }

  private <T> T books(Database.Work<T> work) {
    return Books.run(db, work);
  }
}
