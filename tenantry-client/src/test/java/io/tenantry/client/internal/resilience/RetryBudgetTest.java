package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final FakeTime time = new FakeTime();

  /** 10,000 calls over 10 s to a service that always fails, each call wanting 2 retries. */
  @Test
  void tryRetry_serviceFailingEverything_retriesStayWithinBudget() {
    RetryBudget budget = new RetryBudget(20, 10, time);
    int calls = 10_000;
    int retries = 0;
    for (int i = 0; i < calls; i++) {
      budget.onRequest();
      for (int attempt = 2; attempt <= 3 && budget.tryRetry(); attempt++) {
        retries++;
      }
      time.advance(Duration.ofMillis(1));
    }
    assertThat(retries).isLessThanOrEqualTo(calls * 20 / 100 + 10 * 10).isGreaterThan(calls * 20 / 100 - 100);
    assertThat(budget.allowed()).isEqualTo(retries);
    assertThat(budget.denied()).isGreaterThan(calls / 2); // most calls asked in vain
  }

  @Test
  void tryRetry_longRun_extraLoadIsBudgetShare() {
    RetryBudget budget = new RetryBudget(20, 10, time);
    long calls = 0;
    long retries = 0;
    for (int second = 0; second < 60; second++) { // a minute at 500 calls/s, every call retried while allowed
      for (int i = 0; i < 500; i++) {
        budget.onRequest();
        calls++;
        while (budget.tryRetry()) {
          retries++;
          if (retries % 3 == 0) {
            break;
          }
        }
        time.advance(Duration.ofMillis(2));
      }
    }
    // 20% of the calls plus 10/s (the minimum refills as the window slides).
    assertThat((double) retries).isLessThanOrEqualTo(calls * 0.20 + 10 * 70);
    assertThat((double) retries).isGreaterThan(calls * 0.15);
  }

  @Test
  void tryRetry_noTraffic_minimumPerSecondStillAllowed() {
    RetryBudget budget = new RetryBudget(20, 10, time);
    int allowed = 0;
    while (budget.tryRetry()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(10 * RetryBudget.WINDOW_SECONDS);
  }

  @Test
  void tryRetry_windowSlides_oldRetriesForgotten() {
    RetryBudget budget = new RetryBudget(0, 1, time);
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryRetry()).isTrue();
    }
    assertThat(budget.tryRetry()).isFalse();
    time.advance(Duration.ofSeconds(RetryBudget.WINDOW_SECONDS));
    assertThat(budget.tryRetry()).isTrue();
  }

  @Test
  void tryRetry_zeroBudget_noRetries() {
    RetryBudget budget = new RetryBudget(0, 0, time);
    budget.onRequest();
    assertThat(budget.tryRetry()).isFalse();
    assertThat(budget.denied()).isEqualTo(1);
  }

  @Test
  void configure_keepsWindowCounts() {
    RetryBudget budget = new RetryBudget(0, 1, time);
    for (int i = 0; i < 10; i++) {
      budget.tryRetry();
    }
    budget.configure(0, 2, -1, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryRetry()).isTrue();
    }
    assertThat(budget.tryRetry()).isFalse(); // 20 of 20: the first ten still count
  }

  @Test
  void tryRetry_shadowCap_countsWithoutRefusing() {
    RetryBudget budget = new RetryBudget(100, 10, time);
    budget.configure(100, 10, 0, 0);
    budget.onRequest();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.wouldDeny()).isEqualTo(1);
    assertThat(budget.denied()).isZero();
  }

  @Test
  void configure_badInput_clearError() {
    assertThatThrownBy(() -> new RetryBudget(101, 0, time)).hasMessage("percent: 101 (expected: 0 to 100)");
    assertThatThrownBy(() -> new RetryBudget(20, -1, time)).hasMessage("minPerSecond: -1 (expected: >= 0)");
  }
}
