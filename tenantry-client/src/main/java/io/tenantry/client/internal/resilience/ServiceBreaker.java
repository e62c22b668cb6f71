package io.tenantry.client.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The circuit breaker of one called service: a Resilience4j breaker with a count-based window, built from a
 * {@link ResilienceSpec.CircuitBreaker}. Immutable wrapper; the Resilience4j breaker inside is thread-safe and
 * keeps the state.
 *
 * <p>{@link #reconfigure} keeps the same Resilience4j breaker, and so its state, when the breaker section did not
 * change (e.g. only the timeout or dry-run changed); when it changed, a new breaker starts {@code CLOSED} with an
 * empty window: Resilience4j cannot carry a window over to a different size or threshold, and starting closed
 * lets traffic decide again at once. The counters are shared with the previous breaker.
 *
 * <p>Dry-run: the breaker records every call and changes state as it would, but {@link #tryAcquire} always
 * permits; calls it would have refused are counted.
 */
public final class ServiceBreaker {
  /** What Resilience4j records for a failed call: its predicate sees only this, so no stack trace is made. */
  private static final Throwable FAILED = new Exception("call failed", null, false, false) {
    private static final long serialVersionUID = 1L;
  };

  /** Counters that outlive a reconfiguration. Thread-safe. */
  static final class Counters {
    final LongAdder notPermitted = new LongAdder();
    final LongAdder wouldRefuse = new LongAdder();
    final LongAdder transitions = new LongAdder();
    /** The state seen last, to count transitions. */
    final AtomicReference<CircuitBreaker.State> seen = new AtomicReference<>(CircuitBreaker.State.CLOSED);
  }

  private final ResilienceSpec.CircuitBreaker spec;
  private final CircuitBreaker breaker;
  private final boolean dryRun;
  private final Counters counters;

  private ServiceBreaker(ResilienceSpec.CircuitBreaker spec, CircuitBreaker breaker, boolean dryRun,
      Counters counters) {
    this.spec = spec;
    this.breaker = breaker;
    this.dryRun = dryRun;
    this.counters = counters;
  }

  /** A new breaker, {@code CLOSED}. */
  static ServiceBreaker create(String service, ResilienceSpec.CircuitBreaker spec, boolean dryRun, Clock clock,
      Counters counters) {
    // No event listener: with any consumer registered, Resilience4j builds an event object per call (~100
    // bytes); transitions are counted by watching the state after each step instead (see observe()).
    CircuitBreaker breaker = CircuitBreaker.of(service, config(spec, clock));
    return new ServiceBreaker(spec, breaker, dryRun, counters);
  }

  static CircuitBreakerConfig config(ResilienceSpec.CircuitBreaker spec, Clock clock) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(spec.window())
        .minimumNumberOfCalls(spec.minimumCalls())
        .failureRateThreshold(spec.failureRatePercent())
        .slowCallRateThreshold(spec.slowCallRatePercent())
        .slowCallDurationThreshold(duration("slowCallDuration", spec.slowCallDuration()))
        .waitDurationInOpenState(duration("openFor", spec.openFor()))
        .permittedNumberOfCallsInHalfOpenState(spec.halfOpenCalls())
        .automaticTransitionFromOpenToHalfOpenEnabled(false) // no timer thread: the next call half-opens it
        .clock(clock)
        .build();
  }

  private static Duration duration(String field, String text) {
    return DurationText.parse(field, text, Duration.ZERO, Duration.ofDays(1));
  }

  /** This breaker (same state) if {@code newSpec} equals its spec, else a new one, {@code CLOSED}. */
  ServiceBreaker reconfigure(String service, ResilienceSpec.CircuitBreaker newSpec, boolean newDryRun, Clock clock) {
    if (newSpec.equals(spec)) {
      return newDryRun == dryRun ? this : new ServiceBreaker(spec, breaker, newDryRun, counters);
    }
    return create(service, newSpec, newDryRun, clock, counters);
  }

  /**
   * True if the call may go (then exactly one of {@link #onSuccess}/{@link #onFailure} must follow); false if the
   * breaker is open and the call must fail fast. Always true in dry-run.
   */
  public boolean tryAcquire() {
    if (breaker.tryAcquirePermission()) {
      observe(); // OPEN to HALF_OPEN happens here
      return true;
    }
    observe();
    if (dryRun) {
      counters.wouldRefuse.increment();
      return true;
    }
    counters.notPermitted.increment();
    return false;
  }

  public void onSuccess(long durationNanos) {
    breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
    observe();
  }

  /** A failed call: a 5xx answer, a refused connection, a timeout. */
  public void onFailure(long durationNanos) {
    breaker.onError(durationNanos, TimeUnit.NANOSECONDS, FAILED);
    observe();
  }

  /**
   * Counts a change of state since the last step seen. Two changes between two steps (under concurrency) count
   * as one; a new breaker replacing an open one counts as a change to {@code CLOSED}.
   */
  private void observe() {
    CircuitBreaker.State now = breaker.getState();
    CircuitBreaker.State before = counters.seen.get();
    if (now != before && counters.seen.compareAndSet(before, now)) {
      counters.transitions.increment();
    }
  }

  /** Gives back a permission without a result (the call was not made after all, e.g. no instance). */
  public void release() {
    breaker.releasePermission();
  }

  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  public boolean dryRun() {
    return dryRun;
  }

  ResilienceSpec.CircuitBreaker spec() {
    return spec;
  }

  Counters counters() {
    return counters;
  }
}
