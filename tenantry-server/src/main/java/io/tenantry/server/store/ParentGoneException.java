package io.tenantry.server.store;

/**
 * A write referred to a row that no longer exists: in practice its namespace, deleted between the request's check
 * that it exists and the write (every table refers to its namespace, and deleting one cascades). The caller's
 * answer is that the namespace is not found, not a failure of the store.
 */
public final class ParentGoneException extends StoreException {
  private static final long serialVersionUID = 1L;

  public ParentGoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
