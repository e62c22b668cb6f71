package io.tenantry.api.policy;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Spec of a {@code resilience} policy: how calls to a service protect both sides. Timeouts, retries,
 * the circuit breaker and outlier ejection are applied by the calling SDKs; the per-tenant bulkhead and
 * the adaptive concurrency limit by the governed service's own SDK, at its door. Every section is
 * optional; a missing one keeps the SDK's defaults (see docs/POLICIES.md).
 *
 * @param timeout per-attempt timeout of a call (default 10s)
 */
public record ResilienceSpec(String timeout, Retry retry, CircuitBreaker circuitBreaker,
    OutlierDetection outlierDetection, Bulkhead bulkhead, AdaptiveConcurrency adaptiveConcurrency) {
  public ResilienceSpec {
    timeout = Checks.duration("timeout", timeout, "10s", Duration.ofMillis(1), Duration.ofMinutes(10));
  }

  public Duration timeoutDuration() {
    return DurationText.parse("timeout", timeout, Duration.ZERO, Duration.ofDays(1));
  }

  /**
   * Retries, capped by a budget: retries may add at most {@code budgetPercent} of the calls made over the
   * last 10 s, plus {@code minRetriesPerSecond}, so a sick service is not buried by a retry storm.
   *
   * @param maxAttempts         attempts per call, the first included, 1 to 10 (default 3)
   * @param budgetPercent       0 to 100 (default 20)
   * @param minRetriesPerSecond retries always allowed, for low traffic, 0 to 1000 (default 10)
   * @param backoff             first backoff, doubled per retry with full jitter (default 25ms)
   * @param maxBackoff          cap of the backoff (default 1s)
   */
  public record Retry(Integer maxAttempts, Integer budgetPercent, Integer minRetriesPerSecond, String backoff,
      String maxBackoff) {
    public Retry {
      maxAttempts = Checks.range("maxAttempts", maxAttempts, 3, 1, 10);
      budgetPercent = Checks.range("budgetPercent", budgetPercent, 20, 0, 100);
      minRetriesPerSecond = Checks.range("minRetriesPerSecond", minRetriesPerSecond, 10, 0, 1000);
      backoff = Checks.duration("backoff", backoff, "25ms", Duration.ZERO, Duration.ofMinutes(1));
      maxBackoff = Checks.duration("maxBackoff", maxBackoff, "1s", Duration.ZERO, Duration.ofMinutes(10));
      if (DurationText.parse("maxBackoff", maxBackoff, Duration.ZERO, Duration.ofDays(1))
          .compareTo(DurationText.parse("backoff", backoff, Duration.ZERO, Duration.ofDays(1))) < 0) {
        throw new ValidationException("maxBackoff", maxBackoff + " (expected: at least backoff, " + backoff + ")");
      }
    }

    public static final Retry DEFAULTS = new Retry(null, null, null, null, null);
  }

  /**
   * One breaker per service for each caller (Resilience4j, count-based window): it opens when the failure
   * rate or the slow-call rate over the last {@code window} calls reaches its threshold (once at least
   * {@code minimumCalls} were made), refuses calls for {@code openFor}, then lets {@code halfOpenCalls}
   * through to decide.
   */
  public record CircuitBreaker(Integer failureRatePercent, String slowCallDuration, Integer slowCallRatePercent,
      Integer window, Integer minimumCalls, String openFor, Integer halfOpenCalls) {
    public CircuitBreaker {
      failureRatePercent = Checks.range("failureRatePercent", failureRatePercent, 50, 1, 100);
      slowCallDuration = Checks.duration("slowCallDuration", slowCallDuration, "60s", Duration.ofMillis(1),
          Duration.ofMinutes(10));
      slowCallRatePercent = Checks.range("slowCallRatePercent", slowCallRatePercent, 100, 1, 100);
      window = Checks.range("window", window, 20, 1, 10_000);
      minimumCalls = Checks.range("minimumCalls", minimumCalls, Math.min(10, window), 1, 10_000);
      openFor = Checks.duration("openFor", openFor, "10s", Duration.ofMillis(1), Duration.ofHours(1));
      halfOpenCalls = Checks.range("halfOpenCalls", halfOpenCalls, 3, 1, 1000);
    }
  }

  /**
   * Per-instance outlier ejection (as Envoy's): after {@code consecutiveFailures} failures in a row an
   * instance leaves the rotation for {@code baseEjection} times the number of its ejections so far (at
   * most {@code maxEjection}), never ejecting more than {@code maxEjectedPercent} of the candidates.
   */
  public record OutlierDetection(Integer consecutiveFailures, String baseEjection, String maxEjection,
      Integer maxEjectedPercent) {
    public OutlierDetection {
      consecutiveFailures = Checks.range("consecutiveFailures", consecutiveFailures, 5, 1, 1000);
      baseEjection = Checks.duration("baseEjection", baseEjection, "5s", Duration.ofMillis(1), Duration.ofHours(1));
      maxEjection = Checks.duration("maxEjection", maxEjection, "5m", Duration.ofMillis(1), Duration.ofDays(1));
      maxEjectedPercent = Checks.range("maxEjectedPercent", maxEjectedPercent, 50, 0, 100);
    }

    public static final OutlierDetection DEFAULTS = new OutlierDetection(null, null, null, null);
  }

  /**
   * Per-tenant bulkhead at the service's door: at most {@code maxConcurrent} calls of one tenant in
   * progress on one instance (a tenant's own entry in {@code tenants}, else its tier's in {@code tiers});
   * a call over it is refused at once with 429.
   */
  public record Bulkhead(Integer maxConcurrent, Map<String, Integer> tiers, Map<String, Integer> tenants) {
    public Bulkhead {
      maxConcurrent = Checks.range("maxConcurrent", Names.required("maxConcurrent", maxConcurrent), 1, 1, 100_000);
      tiers = Checks.byName("tiers", tiers);
      tenants = Checks.byName("tenants", tenants);
      tiers.forEach((k, v) -> Checks.range("tiers." + k, v, 1, 1, 100_000));
      tenants.forEach((k, v) -> Checks.range("tenants." + k, v, 1, 1, 100_000));
    }
  }

  /**
   * An adaptive concurrency limit at the service's door (Netflix concurrency-limits): the limit of calls in
   * progress follows the measured latency; a call over it is refused at once with 503.
   *
   * @param algorithm {@code gradient2} (default), {@code vegas} or {@code aimd}
   */
  public record AdaptiveConcurrency(String algorithm, Integer initialLimit, Integer minLimit, Integer maxLimit) {
    static final Set<String> ALGORITHMS = Set.of("gradient2", "vegas", "aimd");

    public AdaptiveConcurrency {
      algorithm = algorithm == null ? "gradient2" : algorithm;
      if (!ALGORITHMS.contains(algorithm)) {
        throw new ValidationException("algorithm", "'" + Names.shorten(algorithm) + "' (expected: one of "
            + new java.util.TreeSet<>(ALGORITHMS) + ")");
      }
      minLimit = Checks.range("minLimit", minLimit, 1, 1, 100_000);
      maxLimit = Checks.range("maxLimit", maxLimit, 200, minLimit, 100_000);
      initialLimit = Checks.range("initialLimit", initialLimit, Math.max(minLimit, Math.min(20, maxLimit)), minLimit,
          maxLimit);
    }
  }
}
