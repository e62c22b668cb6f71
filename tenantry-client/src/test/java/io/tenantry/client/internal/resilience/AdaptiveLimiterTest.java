package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limiter;
import io.tenantry.api.policy.ResilienceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdaptiveLimiterTest {
  private final FakeTime time = new FakeTime();

  private static ResilienceSpec.AdaptiveConcurrency section(String algorithm, int initial) {
    return FakeTime.spec("{'adaptiveConcurrency': {'algorithm': '" + algorithm + "', 'initialLimit': " + initial
        + ", 'minLimit': 1, 'maxLimit': 100}}").adaptiveConcurrency();
  }

  private static List<Limiter.Listener> admit(AdaptiveLimiter l, int times) {
    List<Limiter.Listener> in = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      l.acquire().ifPresent(in::add);
    }
    return in;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gradient2", "vegas", "aimd"})
  void acquire_overLimit_refused(String algorithm) {
    AdaptiveLimiter l = new AdaptiveLimiter(section(algorithm, 3), false, time);
    List<Limiter.Listener> in = admit(l, 5);
    assertThat(in).hasSize(3);
    assertThat(l.refused()).isEqualTo(2);
    assertThat(l.limit()).isEqualTo(3);
    time.advance(java.time.Duration.ofMillis(5));
    in.get(0).onSuccess();
    assertThat(l.acquire()).isPresent();
    assertThat(l.inFlight()).isEqualTo(3);
  }

  @Test
  void acquire_noSection_admitsEverything() {
    AdaptiveLimiter l = new AdaptiveLimiter(null, false, time);
    assertThat(admit(l, 1000)).hasSize(1000);
    assertThat(l.limit()).isZero();
  }

  @Test
  void configure_newAlgorithm_callsInProgressKeepCounting() {
    AdaptiveLimiter l = new AdaptiveLimiter(section("gradient2", 4), false, time);
    List<Limiter.Listener> in = admit(l, 4);
    l.configure(section("aimd", 2), false);
    assertThat(l.limit()).isEqualTo(2);
    assertThat(l.inFlight()).isEqualTo(4);
    assertThat(l.acquire()).isEmpty(); // 4 in progress over a limit of 2
    for (Limiter.Listener listener : in) {
      listener.onSuccess(); // no call in progress fails
    }
    assertThat(l.inFlight()).isZero();
    int limit = l.limit(); // aimd grew it on those successes
    assertThat(admit(l, limit + 1)).hasSize(limit);
  }

  @Test
  void configure_sameSection_keepsLearnedLimit() {
    AdaptiveLimiter l = new AdaptiveLimiter(section("aimd", 10), false, time);
    Optional<Limiter.Listener> one = l.acquire();
    one.orElseThrow().onDropped(); // aimd: a drop shrinks the limit
    int learned = l.limit();
    assertThat(learned).isLessThan(10);
    l.configure(section("aimd", 10), true);
    assertThat(l.limit()).isEqualTo(learned);
  }

  @Test
  void dryRun_overLimit_admittedAndCounted() {
    AdaptiveLimiter l = new AdaptiveLimiter(section("aimd", 2), true, time);
    assertThat(admit(l, 5)).hasSize(5);
    assertThat(l.wouldRefuse()).isEqualTo(3);
    assertThat(l.refused()).isZero();
  }

  @Test
  void onSuccess_zeroRoundTrip_doesNotFailTheCall() {
    AdaptiveLimiter l = new AdaptiveLimiter(section("vegas", 3), false, time);
    l.acquire().orElseThrow().onSuccess(); // the fake clock did not move
    assertThat(l.inFlight()).isZero();
  }
}
