package io.tenantry.client.tx;

import java.util.function.Supplier;

/**
 * Distributed transactions of one {@link io.tenantry.client.TenantryClient}: the initiator's side (begin, commit
 * or roll back around a body; sagas) and the participant's side (TCC actions and saga steps of this service,
 * whose phase two the coordinator drives through the endpoint the Tenantry filters serve). See the package
 * documentation for an example.
 *
 * <p>The current transaction is per thread and per client, like {@link io.tenantry.client.TenantContext}: it does
 * not follow work handed to another thread.
 *
 * <p>Thread-safety: thread-safe.
 */
public interface Transactions {
  /**
   * Declares TCC action {@code name} of this service. Each function runs in one local transaction of the
   * {@code transactionLog} database together with the branch's fence row, which makes confirm and cancel
   * idempotent, turns a cancel without a try into an empty rollback and refuses a try after its cancel.
   *
   * @param argsType the arguments' type: registered as JSON with the branch, read back for confirm and cancel
   * @throws IllegalStateException if the client has no {@code transactionLog} or no {@code serviceName}, or the
   *                               action is already declared
   */
  <A> TccAction<A> tcc(String name, Class<A> argsType, BranchFunction<A> tryFn, BranchFunction<A> confirmFn,
      BranchFunction<A> cancelFn);

  /** Declares saga step {@code name} of this service with its compensation; as {@link #tcc}. */
  <A> SagaStep<A> sagaStep(String name, Class<A> argsType, BranchFunction<A> action, BranchFunction<A> compensation);

  /**
   * Runs {@code body} in a new global transaction for the current tenant ({@link io.tenantry.client.TenantContext}):
   * commits it if the body returns, rolls it back if the body throws. Calls the body makes with the client's
   * governed HTTP client carry the transaction's id.
   *
   * @return what the body returned, once commit is durable (phase two waited for as the options say)
   * @throws IllegalStateException  if no tenant is current, or a transaction is already current on this thread
   * @throws TxRolledBackException  if the body threw a checked exception, or the coordinator had rolled the
   *                                transaction back before the commit (e.g. on its timeout)
   * @throws RuntimeException       what the body threw (unchecked), after rollback
   */
  <T> T inTransaction(TxOptions options, TxBody<T> body);

  /** A saga named {@code name} of this service's steps, empty; see {@link Saga}. */
  Saga saga(String name);

  /** The global transaction current on this thread, or null outside one. */
  GlobalTx current();

  /**
   * Makes the transaction {@code xid} of the current tenant current on this thread until the scope closes: for
   * servers without a Tenantry filter, with the id a request carried in {@code X-Tenantry-Xid}.
   *
   * @throws io.tenantry.api.ValidationException if {@code xid} is malformed
   * @throws IllegalStateException if no tenant is current
   */
  Scope join(String xid);

  /** Runs {@code work} with {@code tx} current, then restores what was current (for work handed to a thread). */
  <T> T callIn(GlobalTx tx, Supplier<T> work);

  /** A current transaction, left on close (idempotent; on the thread that entered it). */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
