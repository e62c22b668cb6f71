package io.tenantry.client;

/**
 * A call refused by the SDK before it was sent: the circuit breaker of its service is open, so the call
 * fails fast instead of adding load to a service that is failing. Retry later, or fall back. Stackless
 * (an expected outcome, not a bug) and immutable.
 */
public final class CallNotPermittedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String service;

  public CallNotPermittedException(String service, String detail) {
    super("call to service '" + service + "' not permitted: " + detail, null, false, false);
    this.service = service;
  }

  public String service() {
    return service;
  }
}
