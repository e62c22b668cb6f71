package io.tenantry.client.internal.resilience;

import static io.tenantry.client.internal.resilience.FakeTime.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerResilienceTest {
  private final FakeTime time = new FakeTime();
  private final CallerResilience caller = new CallerResilience(time, time);
  private final Instance a = FakeTime.instance("a");

  @Test
  void forService_noPolicy_defaultBudgetOnly() {
    ServiceResilience s = caller.forService("payment");
    assertThat(s.spec()).isNull();
    assertThat(s.timeout()).isNull();
    assertThat(s.maxAttempts()).isZero();
    assertThat(s.backoffMillis(1)).isEqualTo(-1);
    assertThat(s.tryAcquire()).isTrue();
    int retries = 0;
    while (s.tryRetry()) {
      retries++;
    }
    assertThat(retries).isEqualTo(100); // 10/s over the 10 s window, no calls yet
    assertThat(caller.forService("payment")).isSameAs(s);
  }

  @Test
  void forService_ownPolicyElseAnyElseNone() {
    caller.apply(List.of(
        policy("all", "*", false, "{'timeout': '3s'}"),
        policy("pay", "payment", false, "{'timeout': '1s', 'retry': {'maxAttempts': 2, 'backoff': '10ms'}}"),
        new Policy("shop", PolicyKind.RATE_LIMIT, "other", "payment", false, null,
            FakeTime.node("{}"), 1, 1, "test", Instant.EPOCH)));
    ServiceResilience payment = caller.forService("payment");
    assertThat(payment.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(payment.maxAttempts()).isEqualTo(2);
    assertThat(payment.backoffMillis(1)).isBetween(0L, 10L);
    assertThat(caller.forService("order").timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(caller.forService("order").maxAttempts()).isZero();
  }

  @Test
  void apply_change_recompiledOnNextCallKeepingState() {
    caller.apply(List.of(policy("pay", "payment", false,
        "{'circuitBreaker': {'window': 4, 'minimumCalls': 4}, 'outlierDetection': {'consecutiveFailures': 1}}")));
    ServiceResilience s = caller.forService("payment");
    s.healthy(List.of(a, FakeTime.instance("b")));
    for (int i = 0; i < 4; i++) {
      s.tryAcquire();
      s.onResult(a, false, 1_000_000);
    }
    assertThat(s.tryAcquire()).isFalse();

    caller.apply(List.of(policy("pay", "payment", false, "{'timeout': '2s',"
        + " 'circuitBreaker': {'window': 4, 'minimumCalls': 4}, 'outlierDetection': {'consecutiveFailures': 1}}")));
    ServiceResilience next = caller.forService("payment");
    assertThat(next).isNotSameAs(s);
    assertThat(next.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(next.tryAcquire()).isFalse(); // same breaker, still open
    assertThat(next.stats().ejectedNow()).isEqualTo(1); // same ejection state
    assertThat(next.stats().notPermitted()).isEqualTo(2);
  }

  @Test
  void apply_policyRemoved_breakerGoneCountersKept() {
    caller.apply(List.of(policy("pay", "payment", false, "{'circuitBreaker': {'window': 2, 'minimumCalls': 2}}")));
    ServiceResilience s = caller.forService("payment");
    s.onResult(a, false, 1);
    s.onResult(a, false, 1);
    s.tryAcquire();
    caller.apply(List.of());
    ServiceResilience none = caller.forService("payment");
    assertThat(none.tryAcquire()).isTrue();
    assertThat(none.stats().breakerState()).isEqualTo("NONE");
    assertThat(none.stats().notPermitted()).isEqualTo(1);
  }

  @Test
  void dryRunPolicy_notEnforcedButCounted() {
    caller.apply(List.of(policy("pay", "payment", true, "{'timeout': '1s', 'retry': {'budgetPercent': 0,"
        + " 'minRetriesPerSecond': 0}, 'circuitBreaker': {'window': 2, 'minimumCalls': 2}}")));
    ServiceResilience s = caller.forService("payment");
    assertThat(s.dryRun()).isTrue();
    assertThat(s.timeout()).isNull();
    for (int i = 0; i < 5; i++) {
      assertThat(s.tryAcquire()).isTrue();
      s.onResult(a, false, 1);
    }
    assertThat(s.tryRetry()).isTrue(); // the default budget applies, the policy's zero budget is only counted
    ResilienceStats.Service stats = caller.stats().services().get("payment");
    assertThat(stats.breakerState()).isEqualTo("OPEN");
    assertThat(stats.breakerWouldRefuse()).isEqualTo(3);
    assertThat(stats.notPermitted()).isZero();
    assertThat(stats.retriesWouldDeny()).isEqualTo(1);
  }

  @Test
  void apply_badSpec_skipped() {
    caller.apply(List.of(policy("pay", "payment", false, "{'timeout': 'soon'}")));
    assertThat(caller.forService("payment").spec()).isNull();
  }

  @Test
  void forService_manyServices_bounded() {
    for (int i = 0; i < CallerResilience.MAX_SERVICES + 10; i++) {
      caller.forService("s" + i).onRequest();
    }
    assertThat(caller.stats().services()).hasSize(CallerResilience.MAX_SERVICES + 1)
        .containsKey(CallerResilience.OVERFLOW);
  }

  @Test
  void retain_forgetsEjectionsOfInstancesThatLeft() {
    caller.apply(List.of(policy("pay", "payment", false, "{'outlierDetection': {'consecutiveFailures': 1}}")));
    ServiceResilience s = caller.forService("payment");
    Instance b = FakeTime.instance("b");
    s.healthy(List.of(a, b));
    s.onResult(a, false, 1);
    assertThat(s.healthy(List.of(a, b))).containsExactly(b);
    caller.retain("payment", List.of(b));
    caller.retain("order", List.of(b)); // never called: nothing to do
    assertThat(s.stats().ejectedNow()).isZero();
    assertThat(caller.stats().services()).containsOnlyKeys("payment");
  }
}
