package io.tenantry.client;

import io.tenantry.api.Instance;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * One governed call in progress (see {@link Governor}): the instance of its current attempt, and the
 * decision after each attempt whether another one follows. Every attempt begun must be ended with
 * {@link #end}, or the instance's in-flight count stays raised. Once {@link #end} has returned false the
 * call is over and the object must not be used again: the governor reuses it for the thread's next call (so
 * a governed call allocates nothing). Not thread-safe.
 */
public interface GovernedCall {
  String service();

  /** The tenant the call is made for, or null. */
  String tenant();

  /** The instance of the current attempt. */
  Instance instance();

  /** 1 for the first attempt. */
  int attempt();

  /** How long the current attempt may take: the call's option, else the route's, else the service's policy. */
  Duration timeout();

  /** {@code logical} ({@code http(s)://<service>/path?query}) aimed at the current attempt's instance. */
  URI target(URI logical);

  /**
   * Decides now whether a failed current attempt would be followed by another: attempts left and a
   * retry within the service's retry budget. Takes the budget's retry on the first call (asking again in
   * the same attempt gives the same answer). Use it before reading a failed response's body, to know
   * whether it is the last.
   */
  boolean retryAllowed();

  /**
   * The current attempt's instance refused the connection (nothing was sent): it is not tried again in
   * this call. Call before {@link #end}.
   */
  void refused();

  /**
   * Ends the current attempt. If {@code retryable} (the caller's rule: idempotent method, retryable
   * status) and {@link #retryAllowed()}, chooses the next attempt's instance (another one than those tried
   * when there is one) and returns true: wait {@link #backoff()}, then send again to {@link #instance()}.
   *
   * @param status the HTTP status, or 0 if none arrived
   */
  boolean end(CallOutcome outcome, int status, boolean retryable);

  /** How long to wait before the next attempt: exponential with full jitter. */
  Duration backoff();

  /**
   * Writes the headers to send with the current attempt, for transports other than the {@link GovernedHttpClient}
   * (which sets them itself): {@code traceparent} (and {@code tracestate}) of the attempt's span, and
   * {@code X-Tenant-Id} and {@code baggage} ({@code tenant.id} first, then the baggage the call began with, e.g.
   * its inbound request's). Call once per attempt, after {@link #instance()} is chosen.
   */
  default void writeHeaders(BiConsumer<String, String> header) {}
}
