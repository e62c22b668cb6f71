package io.tenantry.client.internal.resilience;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.tenantry.api.policy.ResilienceSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * An adaptive concurrency limit at a service's door (Netflix concurrency-limits): one {@link SimpleLimiter}
 * whose limit follows the measured latency with {@code gradient2}, {@code vegas} or {@code aimd}. A call over the
 * limit is refused at once (503).
 *
 * <p>The limiter is built once, over a {@link SwitchableLimit}: a policy change swaps the algorithm (kept, with
 * what it learned, when the section did not change) while the count of calls in progress carries on, so no call
 * fails because of the switch. Without a policy section every call is let in. {@code vegas} has no minimum limit
 * of its own: {@code minLimit} is not applied to it. Thread-safe. Concurrency-limits allocates an
 * {@code Optional} and listeners per admitted call (80 to 100 bytes measured).
 *
 * <p>Dry-run: calls over the limit are let in (with a listener that reports nothing) and counted.
 */
public final class AdaptiveLimiter {
  /** Admits a call without counting it: no policy, or dry-run over the limit. */
  private static final Limiter.Listener UNCOUNTED = new Limiter.Listener() {
    @Override
    public void onSuccess() {}

    @Override
    public void onIgnore() {}

    @Override
    public void onDropped() {}
  };
  private static final Optional<Limiter.Listener> ADMITTED = Optional.of(UNCOUNTED);

  private record Settings(ResilienceSpec.AdaptiveConcurrency spec, boolean dryRun) {}

  private final LongSupplier nanoTime;
  private final LongAdder refused = new LongAdder();
  private final LongAdder wouldRefuse = new LongAdder();
  private volatile Settings settings;
  /** Built on the first policy that has the section; guarded by {@code this} for writes. */
  private volatile SimpleLimiter<Void> limiter;
  private SwitchableLimit limit;

  /** @param spec the section, or null for none */
  public AdaptiveLimiter(ResilienceSpec.AdaptiveConcurrency spec, boolean dryRun, LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    configure(spec, dryRun);
  }

  /** New settings, or null for none; calls in progress keep counting. */
  public synchronized void configure(ResilienceSpec.AdaptiveConcurrency spec, boolean dryRun) {
    Settings old = settings;
    if (spec != null) {
      if (limiter == null) {
        limit = new SwitchableLimit(algorithm(spec));
        limiter = SimpleLimiter.newBuilder().named("tenantry-inbound").limit(limit).nanoClock(nanoTime).build();
      } else if (old == null || !spec.equals(old.spec)) {
        limit.switchTo(algorithm(spec));
      }
    }
    settings = spec == null ? null : new Settings(spec, dryRun);
  }

  static Limit algorithm(ResilienceSpec.AdaptiveConcurrency spec) {
    return switch (spec.algorithm()) {
      case "gradient2" -> Gradient2Limit.newBuilder().initialLimit(spec.initialLimit()).minLimit(spec.minLimit())
          .maxConcurrency(spec.maxLimit()).build();
      case "vegas" -> VegasLimit.newBuilder().initialLimit(spec.initialLimit()).maxConcurrency(spec.maxLimit())
          .build();
      case "aimd" -> AIMDLimit.newBuilder().initialLimit(spec.initialLimit()).minLimit(spec.minLimit())
          .maxLimit(spec.maxLimit()).build();
      default -> throw new IllegalArgumentException("algorithm: '" + spec.algorithm()
          + "' (expected: gradient2, vegas or aimd)");
    };
  }

  /**
   * A listener if the call may start (then exactly one of {@code onSuccess}, {@code onDropped} (the call timed
   * out or was shed downstream: the limit shrinks) or {@code onIgnore} (the call says nothing of latency, e.g. a
   * 4xx) must follow when it ends); empty if the call must be refused.
   */
  public Optional<Limiter.Listener> acquire() {
    Settings s = settings;
    if (s == null) {
      return ADMITTED;
    }
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    if (listener.isPresent()) {
      return listener;
    }
    if (s.dryRun) {
      wouldRefuse.increment();
      return ADMITTED;
    }
    refused.increment();
    return listener;
  }

  /** The limit now, or 0 without a policy section. */
  public int limit() {
    SimpleLimiter<Void> l = limiter;
    return settings == null || l == null ? 0 : l.getLimit();
  }

  /** Calls in progress counted by the limiter. */
  public int inFlight() {
    SimpleLimiter<Void> l = limiter;
    return l == null ? 0 : l.getInflight();
  }

  public long refused() {
    return refused.sum();
  }

  public long wouldRefuse() {
    return wouldRefuse.sum();
  }
}
