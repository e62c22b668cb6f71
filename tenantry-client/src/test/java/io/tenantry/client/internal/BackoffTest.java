package io.tenantry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofSeconds(1));

  @Test
  void ceiling_doublesUpToTheCap() {
    assertThat(backoff.ceilingMillis(1)).isEqualTo(25);
    assertThat(backoff.ceilingMillis(2)).isEqualTo(50);
    assertThat(backoff.ceilingMillis(3)).isEqualTo(100);
    assertThat(backoff.ceilingMillis(7)).isEqualTo(1000);
    assertThat(backoff.ceilingMillis(1000)).isEqualTo(1000);
  }

  @Test
  void fullJitter_staysWithinZeroAndTheCeiling() {
    for (int failures = 1; failures < 40; failures++) {
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.fullJitter(failures).toMillis()).isBetween(0L, backoff.ceilingMillis(failures));
      }
    }
  }

  @Test
  void equalJitter_staysWithinHalfAndTheCeiling() {
    for (int failures = 1; failures < 40; failures++) {
      long c = backoff.ceilingMillis(failures);
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.equalJitter(failures).toMillis()).isBetween(c / 2, c);
      }
    }
  }

  @Test
  void fullJitter_actuallyVaries() {
    assertThat(java.util.stream.IntStream.range(0, 100).mapToLong(i -> backoff.fullJitter(6).toMillis()).distinct()
        .count()).isGreaterThan(10);
  }

  @Test
  void constructor_refusesBadBounds() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
