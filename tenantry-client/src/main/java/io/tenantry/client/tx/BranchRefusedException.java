package io.tenantry.client.tx;

/**
 * A branch may not run: the coordinator refused to register it (the transaction is no longer active, e.g. it
 * timed out or rolled back), or its try (or saga step) arrived after its cancel had already been recorded here
 * (suspension: a late try is refused, so that nothing is left reserved that no cancel will ever release).
 * Unchecked. Immutable.
 */
public final class BranchRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String xid;
  private final String action;
  private final String key;

  public BranchRefusedException(String xid, String action, String key, String why) {
    super("branch " + action + "/" + key + " of transaction " + xid + " refused: " + why);
    this.xid = xid;
    this.action = action;
    this.key = key;
  }

  public String xid() {
    return xid;
  }

  public String action() {
    return action;
  }

  public String key() {
    return key;
  }
}
