/**
 * Distributed transactions with Tenantry's coordinator: TCC (try-confirm-cancel) and sagas, across services that
 * each keep their own database.
 *
 * <p>A participant declares its actions once; each function runs in one local transaction of its own database
 * together with a fence row (table {@code tenantry_tx_fence}, created if absent), which makes phase two
 * idempotent, answers a cancel without a try with an empty rollback and refuses a try after its cancel. Its
 * Tenantry filter ({@code TenantryHttpFilter}, {@code TenantryServletFilter}) serves the phase-two endpoint
 * {@code POST /.well-known/tenantry/tx} the coordinator calls, with a token it checks against the control
 * plane's keys.
 *
 * <pre>{@code
 * TenantryClient client = TenantryClient.newBuilder().servers(url).namespace("shop").apiKey(key)
 *     .serviceName("payment").transactionLog(dataSource).build().start();
 * Transactions tx = client.transactions();
 * TccAction<Debit> debit = tx.tcc("debit", Debit.class,
 *     (ctx, c, d) -> freeze(c, d),      // try: balance -= amount, frozen += amount
 *     (ctx, c, d) -> settle(c, d),      // confirm: frozen -= amount
 *     (ctx, c, d) -> unfreeze(c, d));   // cancel: balance += amount, frozen -= amount
 * // on a call that carried X-Tenantry-Xid (the filter made its transaction current):
 * debit.tryBranch(orderId, new Debit(customer, amount));
 * }</pre>
 *
 * An initiator begins the transaction around a body; calls made in it through {@code client.http()} carry its id:
 *
 * <pre>{@code
 * try (TenantContext.Scope s = TenantContext.enter("acme")) {
 *   Order o = tx.inTransaction(TxOptions.tcc("place-order").timeout(Duration.ofSeconds(30)), g -> {
 *     reserve.tryBranch(orderId, order);                 // this service's own branch
 *     client.http().send(post("http://payment/debit"), ofString()); // the payment's branch
 *     return order;
 *   });                                                  // returned: committed; thrown: rolled back
 * }
 * tx.saga("refund").step(credit, orderId, credit).step(restock, orderId, items).run();
 * }</pre>
 */
package io.tenantry.client.tx;
