package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The thread-safety claims, under threads racing each other (and a policy change for the bulkhead). */
class ConcurrencyTest {
  private static final int THREADS = 4;

  private static void race(int iterations, IntTask task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < iterations; i++) {
            task.run(thread, i);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join(Duration.ofSeconds(15).toMillis());
      assertThat(th.isAlive()).as("thread finished").isFalse();
    }
    assertThat(failure.get()).isNull();
  }

  interface IntTask {
    void run(int thread, int i) throws Exception;
  }

  @Test
  void bulkhead_racingTenantsAndReconfiguration_capHeldAndCountsBalanced() throws Exception {
    TenantBulkhead bulkhead = new TenantBulkhead(FakeTime.spec("{'bulkhead': {'maxConcurrent': 2}}").bulkhead(),
        false);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    race(50_000, (thread, i) -> {
      if (thread == 0 && i % 1000 == 0) {
        bulkhead.configure(FakeTime.spec("{'bulkhead': {'maxConcurrent': " + (2 + i % 2) + "}}").bulkhead(), false);
      }
      String tenant = thread % 2 == 0 ? "acme" : "t-" + i % 50;
      if (bulkhead.tryAcquire(tenant, null)) {
        if (tenant.equals("acme")) {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          inside.decrementAndGet();
        }
        bulkhead.release(tenant);
      }
    });
    assertThat(most.get()).isLessThanOrEqualTo(3);
    assertThat(bulkhead.inProgress("acme")).isZero();
  }

  @Test
  void budget_racingRetries_overshootBoundedByThreads() throws Exception {
    FakeTime time = new FakeTime();
    RetryBudget budget = new RetryBudget(20, 0, time);
    for (int i = 0; i < 1000; i++) {
      budget.onRequest();
    }
    AtomicInteger allowed = new AtomicInteger();
    race(1000, (thread, i) -> {
      if (budget.tryRetry()) {
        allowed.incrementAndGet();
      }
    });
    assertThat(allowed.get()).isBetween(200, 200 + THREADS);
  }

  @Test
  void ejection_racingFailuresAndSuccesses_consistentCount() throws Exception {
    FakeTime time = new FakeTime();
    OutlierEjection e = new OutlierEjection(FakeTime.spec("{'outlierDetection': {'consecutiveFailures': 2,"
        + " 'maxEjectedPercent': 50}}").outlierDetection(), false, time);
    List<Instance> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(FakeTime.instance("i" + i));
    }
    race(20_000, (thread, i) -> {
      List<Instance> healthy = e.healthy(pool);
      assertThat(healthy.size()).isGreaterThanOrEqualTo(4);
      e.onResult(pool.get((thread * 7 + i) % 8), i % 3 != 0);
      if (thread == 0 && i % 500 == 0) {
        time.advance(Duration.ofSeconds(3));
      }
    });
    time.advance(Duration.ofMinutes(10));
    assertThat(e.healthy(pool)).isSameAs(pool);
    assertThat(e.ejectedNow()).isZero();
  }
}
