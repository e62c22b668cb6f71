package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceBreakerTest {
  private static final long MS = 1_000_000;
  private final FakeTime time = new FakeTime();
  private final ResilienceSpec.CircuitBreaker spec = FakeTime.spec(
      "{'circuitBreaker': {'failureRatePercent': 50, 'window': 10, 'minimumCalls': 4, 'openFor': '5s',"
          + " 'halfOpenCalls': 2}}").circuitBreaker();

  private ServiceBreaker breaker(boolean dryRun) {
    return ServiceBreaker.create("payment", spec, dryRun, time, new ServiceBreaker.Counters());
  }

  private static void fail(ServiceBreaker b, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(b.tryAcquire()).isTrue();
      b.onFailure(MS);
    }
  }

  @Test
  void breaker_opensHalfOpensAndCloses() {
    ServiceBreaker b = breaker(false);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(State.OPEN);
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.counters().notPermitted.sum()).isEqualTo(1);

    time.advance(Duration.ofMillis(5001));
    assertThat(b.tryAcquire()).isTrue(); // the first call after openFor half-opens it
    assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    b.onSuccess(MS);
    assertThat(b.tryAcquire()).isTrue();
    b.onSuccess(MS);
    assertThat(b.state()).isEqualTo(State.CLOSED);
    assertThat(b.counters().transitions.sum()).isEqualTo(3);
  }

  @Test
  void breaker_halfOpenFailure_opensAgain() {
    ServiceBreaker b = breaker(false);
    fail(b, 4);
    time.advance(Duration.ofSeconds(6));
    fail(b, 2);
    assertThat(b.state()).isEqualTo(State.OPEN);
    assertThat(b.tryAcquire()).isFalse();
  }

  @Test
  void breaker_slowCalls_open() {
    ResilienceSpec.CircuitBreaker slow = FakeTime.spec("{'circuitBreaker': {'slowCallDuration': '100ms',"
        + " 'slowCallRatePercent': 50, 'window': 4, 'minimumCalls': 4}}").circuitBreaker();
    ServiceBreaker b = ServiceBreaker.create("payment", slow, false, time, new ServiceBreaker.Counters());
    for (int i = 0; i < 4; i++) {
      b.tryAcquire();
      b.onSuccess(200 * MS);
    }
    assertThat(b.state()).isEqualTo(State.OPEN);
  }

  @Test
  void reconfigure_sameSection_keepsState() {
    ServiceBreaker b = breaker(false);
    fail(b, 4);
    ServiceBreaker again = b.reconfigure("payment", FakeTime.spec(
        "{'timeout': '2s', 'circuitBreaker': {'failureRatePercent': 50, 'window': 10, 'minimumCalls': 4,"
            + " 'openFor': '5s', 'halfOpenCalls': 2}}").circuitBreaker(), false, time);
    assertThat(again).isSameAs(b);
    assertThat(again.state()).isEqualTo(State.OPEN);
  }

  @Test
  void reconfigure_changedSection_newBreakerClosedCountersKept() {
    ServiceBreaker b = breaker(false);
    fail(b, 4);
    ServiceBreaker changed = b.reconfigure("payment",
        FakeTime.spec("{'circuitBreaker': {'failureRatePercent': 90}}").circuitBreaker(), false, time);
    assertThat(changed.state()).isEqualTo(State.CLOSED);
    assertThat(changed.tryAcquire()).isTrue();
    assertThat(changed.counters().transitions.sum()).isEqualTo(2); // to OPEN, then back to CLOSED by the change
  }

  @Test
  void dryRun_recordsAndCountsButNeverRefuses() {
    ServiceBreaker b = breaker(true);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(State.OPEN);
    for (int i = 0; i < 3; i++) {
      assertThat(b.tryAcquire()).isTrue();
      b.onFailure(MS);
    }
    assertThat(b.counters().wouldRefuse.sum()).isEqualTo(3);
    assertThat(b.counters().notPermitted.sum()).isZero();
  }

  @Test
  void reconfigure_dryRunOff_sameBreakerNowRefuses() {
    ServiceBreaker b = breaker(true);
    fail(b, 4);
    ServiceBreaker enforced = b.reconfigure("payment", spec, false, time);
    assertThat(enforced.state()).isEqualTo(State.OPEN);
    assertThat(enforced.tryAcquire()).isFalse();
  }
}
