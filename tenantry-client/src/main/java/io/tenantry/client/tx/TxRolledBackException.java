package io.tenantry.client.tx;

/**
 * A global transaction rolled back instead of committing: its body threw a checked exception (the cause), or the
 * coordinator had already decided rollback when asked to commit (e.g. its timeout passed; {@link #reason()}).
 * Unchecked. Immutable.
 */
public final class TxRolledBackException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String xid;
  private final String reason;

  public TxRolledBackException(String xid, String reason, Throwable cause) {
    super("transaction " + xid + " rolled back: " + reason, cause);
    this.xid = xid;
    this.reason = reason;
  }

  public String xid() {
    return xid;
  }

  /** Why, as the coordinator or the body said. */
  public String reason() {
    return reason;
  }
}
