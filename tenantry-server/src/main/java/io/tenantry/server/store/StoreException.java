package io.tenantry.server.store;

/**
 * The store failed for a reason that is not the caller's input (connection lost, disk full, …), or refused a write
 * whose namespace is gone ({@link ParentGoneException}).
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
