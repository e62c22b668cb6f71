package io.tenantry.client;

/**
 * No instance may serve a call: none is registered and {@code UP}, or none fits the tenant's
 * isolation (a siloed tenant without a dedicated instance, a pooled tenant without a shared one).
 * Stackless (an expected outcome, not a bug) and immutable.
 */
public final class NoInstanceAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String service;
  private final String tenant;

  public NoInstanceAvailableException(String service, String tenant, String detail) {
    super("no instance of service '" + service + "'" + (tenant == null ? "" : " for tenant '" + tenant + "'")
        + ": " + detail, null, false, false);
    this.service = service;
    this.tenant = tenant;
  }

  public String service() {
    return service;
  }

  /** The tenant of the call, or null. */
  public String tenant() {
    return tenant;
  }
}
