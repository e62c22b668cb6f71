package io.tenantry.client;

/**
 * Governance of calls for any transport, as Sentinel's entry/exit is: where a call goes (tenancy,
 * route policies, load balancing), whether it may go (circuit breaker), how long an attempt may take,
 * and whether a failed attempt is retried (attempts left, retry budget), with every attempt counted.
 * The {@link GovernedHttpClient} is this plus the JDK's HTTP client; use this directly to govern calls
 * made with another client (OkHttp, Netty, gRPC):
 *
 * <pre>{@code
 * GovernedCall call = client.governor().begin("payment", "POST", "/pay");
 * while (true) {
 *   Response r = send(call.target(URI.create("http://payment/pay")), call.timeout());  // your transport
 *   if (!call.end(r.code() < 500 ? CallOutcome.SUCCESS : CallOutcome.HTTP_ERROR, r.code(), r.code() == 503)) {
 *     return r;
 *   }
 *   Thread.sleep(call.backoff().toMillis());
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; a {@link GovernedCall} is not (one call, one thread at a time).
 */
public interface Governor {
  /** As {@link #begin(String, String, String, CallOptions)} with {@link CallOptions#defaults()}. */
  default GovernedCall begin(String service, String method, String path) {
    return begin(service, method, path, CallOptions.defaults());
  }

  /**
   * Begins a call to {@code service} for the tenant of {@code options}, else of {@link TenantContext}, and
   * chooses the instance of its first attempt.
   *
   * @param method the HTTP method (or the operation's name for other protocols), matched by route rules
   * @param path   the path, matched by route rules
   * @throws io.tenantry.api.ValidationException if {@code service} is not a valid service name
   * @throws NoInstanceAvailableException if no instance may serve the call
   * @throws CallNotPermittedException if the service's circuit breaker is open
   */
  GovernedCall begin(String service, String method, String path, CallOptions options);
}
