package io.tenantry.client.internal.resilience;

import io.tenantry.client.internal.AllocationMeter;
import static io.tenantry.client.internal.resilience.FakeTime.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limiter;
import io.tenantry.api.Instance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-call paths allocate nothing once warm (measured with the thread's allocation counter), and a rough cost
 * per call is printed. Real clocks: these are the production paths.
 */
class HotPathAllocationTest {
  /** One Resilience4j {@code SnapshotImpl} with compressed pointers, and a margin for the measurement. */
  private static final double R4J_SNAPSHOT_BYTES = 48;
  private static final int WARMUP = 300_000;
  private static final int CALLS = 1_000_000;

  private final List<Instance> pool = List.of(FakeTime.instance("a"), FakeTime.instance("b"),
      FakeTime.instance("c"));

  private static double bytesPerCall(String name, Runnable call) {
    return AllocationMeter.bytesPerCall(name, WARMUP, CALLS, call);
  }

  @Test
  void retryBudget_onRequestAndTryRetry_allocationFree() {
    RetryBudget budget = new RetryBudget(20, 10, System::nanoTime);
    assertThat(bytesPerCall("budget onRequest (per call)", budget::onRequest)).isLessThan(1);
    assertThat(bytesPerCall("budget onRequest+tryRetry", () -> {
      budget.onRequest();
      budget.tryRetry();
    })).isLessThan(1);
  }

  /**
   * Resilience4j's count-based window returns a new {@code Snapshot} (about 40 bytes) for each recorded result;
   * the JIT removes it when it can prove it does not escape, which it does not always manage. Our wrapper adds
   * nothing (no event listener is registered: with one, Resilience4j would also build an event per call).
   */
  @Test
  void breaker_tryAcquireAndOnSuccess_atMostOneSnapshotPerCall() {
    CallerResilience caller = CallerResilience.system();
    caller.apply(List.of(policy("pay", "payment", false, "{'circuitBreaker': {}}")));
    ServiceBreaker breaker = caller.forService("payment").breaker();
    assertThat(bytesPerCall("breaker tryAcquire+onSuccess", () -> {
      if (breaker.tryAcquire()) {
        breaker.onSuccess(1_000_000);
      }
    })).isLessThanOrEqualTo(R4J_SNAPSHOT_BYTES);
  }

  @Test
  void healthy_nothingEjected_allocationFree() {
    CallerResilience caller = CallerResilience.system();
    caller.apply(List.of(policy("pay", "payment", false, "{'outlierDetection': {}}")));
    ServiceResilience s = caller.forService("payment");
    Instance a = pool.get(0);
    assertThat(bytesPerCall("healthy+onResult(success)", () -> {
      s.healthy(pool);
      s.onResult(a, true, 1_000_000);
    })).isLessThan(1);
  }

  /** Ours allocates nothing; the breaker inside may add its snapshot (see above). */
  @Test
  void wholeCallerPath_allocatesAtMostTheBreakersSnapshot() {
    CallerResilience caller = CallerResilience.system();
    caller.apply(List.of(policy("pay", "payment", false, "{'circuitBreaker': {}, 'outlierDetection': {}}")));
    Instance a = pool.get(0);
    assertThat(bytesPerCall("caller: lookup+budget+breaker+ejection", () -> {
      ServiceResilience s = caller.forService("payment");
      s.onRequest();
      if (s.tryAcquire()) {
        s.healthy(pool);
        s.onResult(a, true, 1_000_000);
      }
    })).isLessThanOrEqualTo(R4J_SNAPSHOT_BYTES);
  }

  @Test
  void bulkhead_tryAcquireAndRelease_allocationFree() {
    InboundResilience inbound = new InboundResilience("order", System::nanoTime);
    inbound.apply(List.of(policy("ord", "order", false, "{'bulkhead': {'maxConcurrent': 10, 'tiers': {'free': 2}}}")));
    assertThat(bytesPerCall("bulkhead tryEnter+exit", () -> {
      if (inbound.tryEnter("acme", "free")) {
        inbound.exit("acme");
      }
    })).isLessThan(1);
  }

  /**
   * Concurrency-limits allocates per admitted call (an {@code Optional}, its listener and the limiter's inner
   * listener): 80 to 96 bytes measured here, depending on what the JIT removes. Bounded, not zero.
   */
  @Test
  void adaptive_acquireAndOnSuccess_smallAllocation() {
    AdaptiveLimiter limiter = new AdaptiveLimiter(FakeTime.spec("{'adaptiveConcurrency': {}}").adaptiveConcurrency(),
        false, System::nanoTime);
    assertThat(bytesPerCall("adaptive acquire+onSuccess (gradient2)", () -> {
      limiter.acquire().ifPresent(Limiter.Listener::onSuccess);
    })).isLessThan(128);
  }
}
