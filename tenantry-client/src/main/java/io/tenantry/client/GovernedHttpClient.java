package io.tenantry.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The JDK {@link java.net.http.HttpClient} with service discovery, tenant-aware routing, timeouts,
 * retries and failover. A request names a logical service as its host, {@code http://payment/pay};
 * each attempt goes to one instance of it chosen by the client's {@link LoadBalancer} among those that
 * may serve the current tenant. Each attempt carries {@code X-Tenant-Id}, W3C {@code baggage}
 * {@code tenant.id} (merged into an existing baggage header), {@code X-Tenantry-Caller} and
 * {@code X-Tenantry-Attempt}.
 *
 * <p>Retries: for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) or {@link CallOptions#retryable(boolean)
 * retryable(true)}, on connect failure, timeout and 502/503/504 (500 only with retryable(true)); a
 * refused connection (nothing was sent) is retried for any method unless retryable(false). Never a 429.
 * Backoff is exponential with full jitter (25 ms base, 1 s cap); a retry goes to an instance not yet
 * tried in the call when one exists. A body publisher must be replayable for a call to be retried
 * (the JDK's {@code ofString}, {@code ofByteArray} and {@code ofFile} are).
 *
 * <p>Thread-safety: thread-safe; share one per client.
 */
public interface GovernedHttpClient {
  /** As {@link #send(HttpRequest, HttpResponse.BodyHandler, CallOptions)} with {@link CallOptions#defaults()}. */
  default <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return send(request, handler, CallOptions.defaults());
  }

  /**
   * Sends {@code request} to an instance of the service its URI names and returns the last attempt's
   * response (which may be an error status), or throws the last attempt's exception.
   *
   * @throws IllegalArgumentException if the URI is not {@code http(s)://<service>/path} with a valid service name
   * @throws NoInstanceAvailableException if no instance may serve the call
   * @throws java.net.http.HttpTimeoutException if the last attempt timed out
   */
  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, CallOptions options)
      throws IOException, InterruptedException;

  /** Adds an observer told about every attempt of every later call. */
  void addObserver(CallObserver observer);

  /** Removes an observer added before; returns false if it was not there. */
  boolean removeObserver(CallObserver observer);
}
