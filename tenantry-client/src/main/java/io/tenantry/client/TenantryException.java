package io.tenantry.client;

/**
 * The control plane refused a request (a problem+json answer), e.g. a registration with a key that
 * may not register. {@link #problemType()} is the stable slug of the problem (e.g. {@code forbidden}).
 * Immutable.
 */
public final class TenantryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String problemType;

  public TenantryException(int status, String problemType, String detail) {
    super(status + " " + problemType + ": " + detail);
    this.status = status;
    this.problemType = problemType;
  }

  public int status() {
    return status;
  }

  public String problemType() {
    return problemType;
  }
}
