package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierEjectionTest {
  private final FakeTime time = new FakeTime();
  private final Instance a = FakeTime.instance("a");
  private final Instance b = FakeTime.instance("b");
  private final Instance c = FakeTime.instance("c");
  private final Instance d = FakeTime.instance("d");
  private final List<Instance> pool = List.of(a, b, c, d);

  private static ResilienceSpec.OutlierDetection settings(String json) {
    return FakeTime.spec("{'outlierDetection': " + json + "}").outlierDetection();
  }

  private OutlierEjection ejection(boolean dryRun) {
    return new OutlierEjection(settings("{'consecutiveFailures': 3, 'baseEjection': '10s', 'maxEjection': '25s',"
        + " 'maxEjectedPercent': 50}"), dryRun, time);
  }

  private static void fail(OutlierEjection e, Instance i, int times) {
    for (int n = 0; n < times; n++) {
      e.onResult(i, false);
    }
  }

  @Test
  void healthy_nothingEjected_sameList() {
    OutlierEjection e = ejection(false);
    assertThat(e.healthy(pool)).isSameAs(pool);
    fail(e, a, 2);
    e.onResult(b, true);
    assertThat(e.healthy(pool)).isSameAs(pool);
  }

  @Test
  void onResult_consecutiveFailures_ejectForGrowingTimeCappedAtMax() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    for (long expectedSeconds : new long[] {10, 20, 25, 25}) {
      fail(e, a, 3);
      assertThat(e.healthy(pool)).containsExactly(b, c, d);
      time.advance(Duration.ofSeconds(expectedSeconds).minusMillis(1));
      assertThat(e.healthy(pool)).as("ejected for %ss", expectedSeconds).containsExactly(b, c, d);
      time.advance(Duration.ofMillis(1));
      assertThat(e.healthy(pool)).isSameAs(pool); // back, passively
    }
    assertThat(e.ejections()).isEqualTo(4);
    assertThat(e.ejectedNow()).isZero();
  }

  @Test
  void onResult_successBetweenFailures_resetsCount() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    fail(e, a, 2);
    e.onResult(a, true);
    fail(e, a, 2);
    assertThat(e.healthy(pool)).isSameAs(pool);
    e.onResult(a, false);
    assertThat(e.healthy(pool)).containsExactly(b, c, d);
  }

  @Test
  void ejectionCount_decaysWhileHealthy() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    fail(e, a, 3);
    time.advance(Duration.ofSeconds(10)); // back after 1 × 10 s
    fail(e, a, 3);
    time.advance(Duration.ofSeconds(20)); // back after 2 × 10 s
    time.advance(Duration.ofSeconds(20)); // two decay periods (10 s each) in rotation: count 2 → 0
    fail(e, a, 3);
    time.advance(Duration.ofSeconds(10));
    assertThat(e.healthy(pool)).isSameAs(pool); // ejected for 1 × base again
  }

  @Test
  void onResult_maxEjectedPercent_capsEjections() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    for (Instance i : pool) {
      fail(e, i, 3);
    }
    assertThat(e.ejectedNow()).isEqualTo(2);
    assertThat(e.healthy(pool)).containsExactly(c, d);
    assertThat(e.skippedByCap()).isEqualTo(2);
    time.advance(Duration.ofSeconds(10)); // a and b come back; c and d, still failing, may now be ejected
    e.healthy(pool);
    fail(e, c, 1);
    fail(e, d, 1);
    assertThat(e.healthy(pool)).containsExactly(a, b);
  }

  @Test
  void healthy_neverEjectsTheLastInstance() {
    OutlierEjection e = new OutlierEjection(settings("{'consecutiveFailures': 1, 'maxEjectedPercent': 100}"), false,
        time);
    List<Instance> one = List.of(a);
    e.healthy(one);
    fail(e, a, 5);
    assertThat(e.healthy(one)).isSameAs(one);
    assertThat(e.ejectedNow()).isZero();

    e.healthy(pool);
    for (Instance i : pool) {
      fail(e, i, 1);
    }
    assertThat(e.ejectedNow()).isEqualTo(3);
    assertThat(e.healthy(pool)).hasSize(1);
    assertThat(e.healthy(List.of(a, b))).hasSize(1); // a smaller pool: still one left
  }

  @Test
  void retain_forgetsInstancesThatLeft() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    fail(e, a, 3);
    fail(e, b, 1);
    assertThat(e.tracked()).isEqualTo(2);
    e.retain(List.of(c, d));
    assertThat(e.tracked()).isZero();
    assertThat(e.ejectedNow()).isZero();
  }

  @Test
  void track_manyInstances_mapStaysBounded() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    for (int i = 0; i < OutlierEjection.MAX_TRACKED * 3; i++) {
      e.onResult(FakeTime.instance("i-" + i), false);
      if (i % 1000 == 0) {
        time.advance(Duration.ofSeconds(11)); // older records went quiet
      }
    }
    assertThat(e.tracked()).isLessThanOrEqualTo(OutlierEjection.MAX_TRACKED);
  }

  @Test
  void dryRun_countsButNeverFilters() {
    OutlierEjection e = ejection(true);
    e.healthy(pool);
    fail(e, a, 3);
    assertThat(e.healthy(pool)).isSameAs(pool);
    assertThat(e.wouldEject()).isEqualTo(1);
    assertThat(e.ejections()).isZero();
  }

  @Test
  void noSettings_neverEjects() {
    OutlierEjection e = new OutlierEjection(null, false, time);
    e.healthy(pool);
    fail(e, a, 100);
    assertThat(e.healthy(pool)).isSameAs(pool);
    assertThat(e.tracked()).isZero();
  }

  @Test
  void onResult_atCap_instancesDueButUnseenComeBackFirst() {
    OutlierEjection e = ejection(false);
    e.healthy(pool);
    fail(e, a, 3);
    fail(e, b, 3);
    time.advance(Duration.ofSeconds(10)); // a and b are due back, but no call listed them since
    fail(e, c, 3);
    assertThat(e.skippedByCap()).isZero();
    assertThat(e.ejectedNow()).isEqualTo(1);
    assertThat(e.healthy(pool)).containsExactly(a, b, d);
  }
}
