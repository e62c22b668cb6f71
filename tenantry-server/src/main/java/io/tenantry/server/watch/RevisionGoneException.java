package io.tenantry.server.watch;

/**
 * A watch asked to resume from a revision the feed no longer retains (or never saw): the client must
 * list again and watch from the list's revision. Stackless: this is an answer, not a bug.
 */
public final class RevisionGoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long requested;
  private final long oldest;

  RevisionGoneException(long requested, long oldest, long current) {
    super("revision " + requested + " is no longer available (expected: " + oldest + ".." + current
        + "; list again and watch from the list's revision)", null, false, false);
    this.requested = requested;
    this.oldest = oldest;
  }

  /** The revision the client asked to resume from. */
  public long requested() {
    return requested;
  }

  /** The oldest revision from which this namespace can still be resumed. */
  public long oldest() {
    return oldest;
  }
}
