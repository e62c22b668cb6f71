package io.tenantry.client.tx;

/**
 * A saga of this service's own steps, built with {@link Transactions#saga} and run in order by {@link #run()}. Not
 * thread-safe; each {@code step} returns a new saga, the original unchanged.
 */
public interface Saga {
  /** This saga with {@code step} (for {@code key}, with {@code args}) run after the steps before. */
  <A> Saga step(SagaStep<A> step, String key, A args);

  /**
   * Begins the saga for the current tenant, runs every step in order and commits; if a step throws, rolls back
   * (the coordinator compensates the completed steps in reverse order) and rethrows.
   */
  void run();
}
