package io.tenantry.client.internal;

import static io.tenantry.client.internal.EmptyPushGuard.Source.EVENT;
import static io.tenantry.client.internal.EmptyPushGuard.Source.EXPIRY;
import static io.tenantry.client.internal.EmptyPushGuard.Source.RELIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmptyPushGuardTest {
  private final EmptyPushGuard guard = new EmptyPushGuard(0.5, Duration.ofMinutes(2));

  @Test
  void relistOrExpiry_belowThreshold_isHeld() {
    assertThat(guard.shouldHold(RELIST, 4, 0)).isTrue();
    assertThat(guard.shouldHold(RELIST, 4, 1)).isTrue();
    assertThat(guard.shouldHold(EXPIRY, 4, 1)).isTrue();
    assertThat(guard.shouldHold(EXPIRY, 1, 0)).isTrue();
  }

  @Test
  void dropAtOrAboveThreshold_applies() {
    assertThat(guard.shouldHold(RELIST, 4, 2)).isFalse();
    assertThat(guard.shouldHold(EXPIRY, 4, 3)).isFalse();
  }

  @Test
  void ordinaryEvents_neverHold() {
    assertThat(guard.shouldHold(EVENT, 4, 0)).isFalse();
  }

  @Test
  void nothingHeldBefore_nothingToProtect() {
    assertThat(guard.shouldHold(RELIST, 0, 0)).isFalse();
  }

  @Test
  void zeroThreshold_disablesProtection() {
    EmptyPushGuard off = new EmptyPushGuard(0, Duration.ofMinutes(2));
    assertThat(off.enabled()).isFalse();
    assertThat(off.shouldHold(RELIST, 10, 0)).isFalse();
  }

  @Test
  void recovery_andHoldLimit() {
    assertThat(guard.recovered(4, 1)).isFalse();
    assertThat(guard.recovered(4, 2)).isTrue();
    assertThat(guard.expired(1_000, 1_000 + 119_999)).isFalse();
    assertThat(guard.expired(1_000, 1_000 + 120_000)).isTrue();
  }

  @Test
  void constructor_refusesOutOfRangeValues() {
    assertThatThrownBy(() -> new EmptyPushGuard(1.5, Duration.ofMinutes(1))).hasMessageContaining("expected: 0..1");
    assertThatThrownBy(() -> new EmptyPushGuard(Double.NaN, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmptyPushGuard(0.5, Duration.ofSeconds(-1))).hasMessageContaining("protectHoldLimit");
  }
}
