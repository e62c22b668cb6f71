package io.tenantry.demo.service;

import io.tenantry.api.Names;
import io.tenantry.client.tx.SagaStep;
import io.tenantry.client.tx.TccAction;
import io.tenantry.client.tx.Transactions;
import io.tenantry.client.tx.TxOptions;
import io.tenantry.demo.service.Records.NewOrder;
import io.tenantry.demo.service.Records.Order;
import io.tenantry.demo.service.Router.Response;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.OrderBook.StoredOrder;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The order service. {@code POST /orders} checks the user, then places the order as one TCC global
 * transaction for the caller's tenant: this service's {@code reserve} branch (the order, pending, in its
 * own database) and the payment service's {@code debit} branch (the customer's wallet holds the amount),
 * called through the governed client, which keeps its retries. The body returns: commit, the coordinator
 * confirms both (paid; the wallet's money spent); anything fails or the transaction's timeout passes:
 * rollback, it cancels both (cancelled; the money back). {@code POST /orders/{id}/refund} refunds a paid
 * order as a saga: this service's {@code refund} step (refunded) and the payment's {@code credit} step
 * (the money back); if the credit fails, the coordinator compensates the steps done, in reverse order
 * (the order paid again). {@code GET /orders/{id}}. An order names the instance and version that placed
 * it, so a caller sees which share of its orders a canary served. Thread-safe.
 */
final class OrderResource implements Resource {
  /** How long an order's transaction may stay active unless the order says otherwise ({@code payWithin}). */
  static final Duration PAY_WITHIN = Duration.ofSeconds(30);
  /** How long placing or refunding waits for phase two, so that the answer shows the order's final state. */
  static final Duration WAIT_FOR_PHASE_TWO = Duration.ofSeconds(2);
  static final Duration REFUND_WITHIN = Duration.ofSeconds(30);

  /** What the {@code reserve} branch registers with the coordinator: the order to write as pending. */
  record Reservation(String userId, long amount, String placedBy, String version) {}

  /** What the {@code refund} step registers: nothing but its key, the order id. */
  record RefundStep(String orderId) {}

  private final OrderBook book = new OrderBook();
  private final Database db;
  private final Transactions transactions;
  private final Upstreams upstreams;
  private final Supplier<String> ids;
  private final Counters counters;
  private final String instanceId;
  private final String version;
  private final TccAction<Reservation> reserve;
  private final SagaStep<RefundStep> refund;

  /** {@code instanceId}, {@code version}: this instance's, written into every order it places. */
  OrderResource(Database db, Transactions transactions, Upstreams upstreams, Supplier<String> ids, Counters counters,
      String instanceId, String version) {
    this.db = db;
    this.transactions = transactions;
    this.upstreams = upstreams;
    this.ids = ids;
    this.counters = counters;
    this.instanceId = instanceId;
    this.version = version;
    this.reserve = transactions.tcc("reserve", Reservation.class,
        (ctx, c, r) -> book.reserve(c, new StoredOrder(ctx.tenant(), ctx.key(), r.userId(), r.amount(),
            OrderBook.Status.PENDING, r.placedBy(), r.version(), ctx.xid())),
        (ctx, c, r) -> book.confirm(c, ctx.tenant(), ctx.key()),
        (ctx, c, r) -> book.cancel(c, ctx.tenant(), ctx.key()));
    this.refund = transactions.sagaStep("refund", RefundStep.class,
        (ctx, c, r) -> book.markRefunded(c, ctx.tenant(), ctx.key()),
        (ctx, c, r) -> book.restorePaid(c, ctx.tenant(), ctx.key()));
  }

  @Override
  public void routes(Router router) {
    router.tenantRoute("POST", "/orders", (tenant, request) -> {
      NewOrder n = request.body(NewOrder.class);
      try {
        Order order = place(tenant, n);
        counters.increment(tenant, "ordersCreated");
        return new Response(201, order);
      } catch (HttpProblem p) {
        counters.increment(tenant, "ordersFailed");
        throw p;
      }
    });
    router.tenantRoute("GET", "/orders/([^/]+)", (tenant, request) -> {
      String id = Names.id("id", request.param(1));
      return new Response(200, find(tenant, id));
    });
    router.tenantRoute("POST", "/orders/([^/]+)/refund", (tenant, request) -> {
      String id = Names.id("id", request.param(1));
      Order order = refund(tenant, id);
      counters.increment(tenant, "ordersRefunded");
      return new Response(200, order);
    });
  }

  private Order place(String tenant, NewOrder n) {
    upstreams.checkUser(n.userId());
    String orderId = "o-" + ids.get();
    TxOptions options = TxOptions.tcc("place-order").timeout(n.payWithinDuration().orElse(PAY_WITHIN))
        .waitForPhaseTwo(WAIT_FOR_PHASE_TWO);
    try {
      transactions.inTransaction(options, g -> {
        reserve.tryBranch(orderId, new Reservation(n.userId(), n.amount(), instanceId, version));
        upstreams.debit(orderId, n.userId(), n.amount());
        return null;
      });
    } catch (RuntimeException e) {
      throw TxProblems.of("order " + orderId, e);
    }
    return find(tenant, orderId);
  }

  private Order refund(String tenant, String id) {
    Order order = find(tenant, id);
    if (!order.status().equals(OrderBook.Status.PAID.wire())) {
      throw new HttpProblem(409, "order-not-refundable", "order " + id + " is " + order.status() + " (expected: paid)");
    }
    TxOptions options = TxOptions.saga("refund-order").timeout(REFUND_WITHIN).waitForPhaseTwo(WAIT_FOR_PHASE_TWO);
    try {
      transactions.inTransaction(options, g -> {
        refund.run(id, new RefundStep(id));
        upstreams.credit(id);
        return null;
      });
    } catch (RuntimeException e) {
      throw TxProblems.of("refund of order " + id, e);
    }
    return find(tenant, id);
  }

  private Order find(String tenant, String id) {
    return Order.of(Books.run(db, c -> book.find(c, tenant, id)).orElseThrow(() -> HttpProblem.notFound("order", id)));
  }
}
