package io.tenantry.client.tx;

/**
 * A saga step of this service, declared with {@link Transactions#sagaStep}: its action runs (and is done at once)
 * when {@link #run} is called inside a saga; if the saga rolls back, the coordinator calls this service's phase-two
 * endpoint to compensate it. Thread-safe.
 *
 * @param <A> its arguments
 */
public interface SagaStep<A> {
  /** The step's action name, unique within the service. */
  String name();

  /**
   * Registers a branch of the current saga for this step and {@code key}, then runs the action in one local
   * transaction with the branch's fence row.
   *
   * @return true if the action ran now; false if it had run before (a retry: nothing ran)
   * @throws IllegalStateException  if no global transaction is current
   * @throws BranchRefusedException if the saga is no longer active, or the step's compensation arrived first
   */
  boolean run(String key, A args);
}
