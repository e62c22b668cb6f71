package io.tenantry.client;

import io.tenantry.api.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * How a governed call is made: per-attempt timeout, whether it may be retried, how many attempts at
 * most, and optionally a tenant that overrides {@link TenantContext}. Immutable: each setter returns a
 * new value, so {@code CallOptions.defaults().timeout(...)} never changes the defaults.
 */
public final class CallOptions {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int MAX_ATTEMPTS_LIMIT = 10;
  private static final CallOptions DEFAULTS = new CallOptions(null, null, DEFAULT_MAX_ATTEMPTS, false, null);

  private final Boolean retryable;
  private final Duration timeout; // null: the request's own timeout, else DEFAULT_TIMEOUT
  private final int maxAttempts;
  private final boolean maxAttemptsSet;
  private final String tenant;

  private CallOptions(Boolean retryable, Duration timeout, int maxAttempts, boolean maxAttemptsSet, String tenant) {
    this.retryable = retryable;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.maxAttemptsSet = maxAttemptsSet;
    this.tenant = tenant;
  }

  /**
   * Per-attempt timeout of the request ({@code HttpRequest.timeout()}) or else 10 s, at most 3
   * attempts, retries only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS), tenant from
   * {@link TenantContext}.
   */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Says explicitly whether the call may be retried: {@code true} also retries a non-idempotent
   * method and a 500; {@code false} never retries.
   */
  public CallOptions retryable(boolean value) {
    return new CallOptions(value, timeout, maxAttempts, maxAttemptsSet, tenant);
  }

  /** The timeout of each attempt, until the response headers arrive; overrides the request's own. */
  public CallOptions timeout(Duration value) {
    Objects.requireNonNull(value, "timeout");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("timeout: " + value + " (expected: > 0)");
    }
    return new CallOptions(retryable, value, maxAttempts, maxAttemptsSet, tenant);
  }

  /** Attempts at most, the first included. */
  public CallOptions maxAttempts(int value) {
    if (value < 1 || value > MAX_ATTEMPTS_LIMIT) {
      throw new IllegalArgumentException("maxAttempts: " + value + " (expected: 1.." + MAX_ATTEMPTS_LIMIT + ")");
    }
    return new CallOptions(retryable, timeout, value, true, tenant);
  }

  /** Makes the call for {@code value} whatever the current {@link TenantContext}. */
  public CallOptions tenant(String value) {
    return new CallOptions(retryable, timeout, maxAttempts, maxAttemptsSet, Names.name("tenant", value));
  }

  /** True or false if set explicitly, null to decide by the HTTP method. */
  public Boolean retryable() {
    return retryable;
  }

  /** The timeout set with {@link #timeout(Duration)}, or {@link #DEFAULT_TIMEOUT}. */
  public Duration timeout() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** The timeout of an attempt of {@code request}: the one set here, else the request's, else 10 s. */
  public Duration timeoutFor(java.net.http.HttpRequest request) {
    return timeout != null ? timeout : request.timeout().orElse(DEFAULT_TIMEOUT);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** True if {@link #timeout(Duration)} was set: it then overrides the route's and the service policy's. */
  public boolean timeoutSet() {
    return timeout != null;
  }

  /** True if {@link #maxAttempts(int)} was set: it then overrides the service policy's. */
  public boolean maxAttemptsSet() {
    return maxAttemptsSet;
  }

  /** The explicit tenant, or null to use {@link TenantContext#current()}. */
  public String tenant() {
    return tenant;
  }

  @Override
  public String toString() {
    return "CallOptions{retryable=" + retryable + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts
        + ", tenant=" + tenant + "}";
  }
}
