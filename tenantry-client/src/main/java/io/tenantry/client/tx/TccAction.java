package io.tenantry.client.tx;

/**
 * A TCC action of this service, declared with {@link Transactions#tcc}: its try runs when {@link #tryBranch} is
 * called inside a global transaction; the coordinator later calls this service's phase-two endpoint to confirm
 * or cancel it. Thread-safe.
 *
 * @param <A> its arguments
 */
public interface TccAction<A> {
  /** The action's name, unique within the service. */
  String name();

  /**
   * Registers a branch of the current global transaction for this action and {@code key} (durable at the
   * coordinator, with {@code args} as its data), then runs the try in one local transaction with the branch's
   * fence row.
   *
   * @param key  what makes the branch unique within the transaction (an id, e.g. the order id); registering the
   *             same key again (a retried call) finds the same branch
   * @return true if the try ran now; false if this branch had tried before (a retry: nothing ran)
   * @throws IllegalStateException    if no global transaction is current
   * @throws BranchRefusedException   if the transaction is no longer active, or its cancel arrived first
   * @throws io.tenantry.client.TenantryException if the coordinator refused otherwise
   * @throws java.io.UncheckedIOException if the coordinator cannot be reached
   * @throws RuntimeException         what the try threw (wrapped if checked); its local transaction rolled back
   */
  boolean tryBranch(String key, A args);
}
