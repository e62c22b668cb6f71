package io.tenantry.client.internal.resilience;

import io.tenantry.api.Instance;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.policy.ResilienceSpec;
import io.tenantry.client.internal.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What protects the calls to one service, compiled from its {@code resilience} policy (or from none): the
 * timeout and retry settings, and the long-lived {@link RetryBudget}, {@link ServiceBreaker} and
 * {@link OutlierEjection} that a newer configuration of the same service reuses. Immutable; its parts are
 * thread-safe.
 *
 * <p>A dry-run policy is evaluated but not enforced: the call behaves as with no policy (the default retry budget
 * still applies), and what the policy would have done is counted.
 *
 * <p>Per call: {@link #onRequest()} once; per attempt {@link #tryAcquire()} (false: fail fast), pick among
 * {@link #healthy}, then {@link #onResult}; before a retry, {@link #tryRetry()} (false: give up with the last
 * answer).
 */
public final class ServiceResilience {
  private static final ResilienceSpec.Retry DEFAULT_RETRY = ResilienceSpec.Retry.DEFAULTS;

  private final String service;
  private final ResilienceSpec spec;
  private final boolean dryRun;
  private final Duration timeout;
  private final int maxAttempts;
  private final Backoff backoff;
  private final RetryBudget budget;
  private final ServiceBreaker breaker;
  /** Kept across configurations, with or without a breaker, so its counts are never lost. */
  private final ServiceBreaker.Counters breakerCounters;
  private final OutlierEjection ejection;
  /** The policies this was compiled from (identity), so a change of them is seen cheaply. */
  final Object source;

  private ServiceResilience(String service, ResilienceSpec spec, boolean dryRun, RetryBudget budget,
      ServiceBreaker breaker, ServiceBreaker.Counters breakerCounters, OutlierEjection ejection, Object source) {
    this.service = service;
    this.spec = spec;
    this.dryRun = dryRun;
    ResilienceSpec enforced = dryRun ? null : spec;
    ResilienceSpec.Retry retry = enforced == null || enforced.retry() == null ? null : enforced.retry();
    this.timeout = enforced == null ? null : enforced.timeoutDuration();
    this.maxAttempts = retry == null ? 0 : retry.maxAttempts();
    this.backoff = retry == null ? null : backoffOf(retry);
    this.budget = budget;
    this.breaker = breaker;
    this.breakerCounters = breakerCounters;
    this.ejection = ejection;
    this.source = source;
  }

  private static Backoff backoffOf(ResilienceSpec.Retry retry) {
    Duration base = DurationText.parse("backoff", retry.backoff(), Duration.ZERO, Duration.ofDays(1));
    Duration cap = DurationText.parse("maxBackoff", retry.maxBackoff(), Duration.ZERO, Duration.ofDays(1));
    return base.toMillis() <= 0 ? null : new Backoff(base, cap.compareTo(base) < 0 ? base : cap);
  }

  /**
   * Compiles {@code spec} for {@code service}, reusing the state of {@code previous} (its budget window, its
   * breaker if the breaker section did not change, its ejections).
   *
   * @param spec     the policy in force for the service (its own or {@code *}), or null for none
   * @param previous the configuration it replaces, or null
   */
  static ServiceResilience compile(String service, ResilienceSpec spec, boolean dryRun, ServiceResilience previous,
      Object source, Clock clock, java.util.function.LongSupplier nanoTime) {
    ResilienceSpec.Retry retry = spec == null || spec.retry() == null ? DEFAULT_RETRY : spec.retry();
    RetryBudget budget = previous == null
        ? new RetryBudget(DEFAULT_RETRY.budgetPercent(), DEFAULT_RETRY.minRetriesPerSecond(), nanoTime)
        : previous.budget;
    if (dryRun) {
      budget.configure(DEFAULT_RETRY.budgetPercent(), DEFAULT_RETRY.minRetriesPerSecond(), retry.budgetPercent(),
          retry.minRetriesPerSecond());
    } else {
      budget.configure(retry.budgetPercent(), retry.minRetriesPerSecond(), -1, 0);
    }

    ResilienceSpec.CircuitBreaker breakerSpec = spec == null ? null : spec.circuitBreaker();
    ServiceBreaker old = previous == null ? null : previous.breaker;
    ServiceBreaker.Counters counters = previous == null ? new ServiceBreaker.Counters() : previous.breakerCounters;
    ServiceBreaker breaker = breakerSpec == null ? null
        : old == null ? ServiceBreaker.create(service, breakerSpec, dryRun, clock, counters)
        : old.reconfigure(service, breakerSpec, dryRun, clock);

    ResilienceSpec.OutlierDetection outliers = spec == null ? null : spec.outlierDetection();
    OutlierEjection ejection = previous == null ? new OutlierEjection(outliers, dryRun, nanoTime) : previous.ejection;
    if (previous != null) {
      ejection.configure(outliers, dryRun);
    }
    return new ServiceResilience(service, spec, dryRun, budget, breaker, counters, ejection, source);
  }

  public String service() {
    return service;
  }

  /** The policy compiled, or null when none applies. */
  public ResilienceSpec spec() {
    return spec;
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** The per-attempt timeout the policy sets, or null when no enforced policy sets one (use the call's own). */
  public Duration timeout() {
    return timeout;
  }

  /** Attempts per call the policy sets (the first included), or 0 when no enforced policy has a retry section. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The delay before the next attempt after {@code failures} failed ones, from the policy's backoff; -1 when no
   * enforced policy sets one (use the client's own), 0 for a zero backoff.
   */
  public long backoffMillis(int failures) {
    if (backoff == null) {
      return maxAttempts == 0 ? -1 : 0;
    }
    return backoff.fullJitter(failures).toMillis();
  }

  /** Counts a call for the retry budget: once per call, before its first attempt. */
  public void onRequest() {
    budget.onRequest();
  }

  /** As {@link #onRequest()}, at {@code nowNanos} of {@code System.nanoTime()} (the production clock). */
  public void onRequest(long nowNanos) {
    budget.onRequest(nowNanos);
  }

  /** True if a retry fits this service's budget (and counts it). */
  public boolean tryRetry() {
    return budget.tryRetry();
  }

  /** True if the breaker lets an attempt go (no breaker: always); false: fail fast, nothing to report. */
  public boolean tryAcquire() {
    return breaker == null || breaker.tryAcquire();
  }

  /** Gives back a permission taken by {@link #tryAcquire} when the attempt was not made after all. */
  public void release() {
    if (breaker != null) {
      breaker.release();
    }
  }

  /** The candidates not ejected ({@code candidates} itself when none is). */
  public List<Instance> healthy(List<Instance> candidates) {
    return ejection.healthy(candidates);
  }

  /**
   * The result of an attempt permitted by {@link #tryAcquire}: success if it got an answer below 500; a 5xx, a
   * refused or broken connection and a timeout are failures. A 429 counts as success (the service is alive).
   */
  public void onResult(Instance instance, boolean success, long durationNanos) {
    if (breaker != null) {
      if (success) {
        breaker.onSuccess(durationNanos);
      } else {
        breaker.onFailure(durationNanos);
      }
    }
    ejection.onResult(instance, success);
  }

  /** Forgets the ejection records of instances no longer registered. */
  public void retain(java.util.Collection<Instance> current) {
    ejection.retain(current);
  }

  /** A snapshot of this service's counters. */
  public ResilienceStats.Service stats() {
    ServiceBreaker.Counters c = breakerCounters;
    return new ResilienceStats.Service(service, spec != null, dryRun,
        breaker == null ? "NONE" : breaker.state().name(), c.transitions.sum(), c.notPermitted.sum(),
        c.wouldRefuse.sum(), budget.allowed(), budget.denied(), budget.wouldDeny(), ejection.ejections(),
        ejection.ejectedNow(), ejection.wouldEject(), ejection.skippedByCap());
  }

  ServiceBreaker breaker() {
    return breaker;
  }

  RetryBudget budget() {
    return budget;
  }

  OutlierEjection ejection() {
    return ejection;
  }
}
