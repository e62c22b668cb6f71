package io.tenantry.server.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final Duration BASE = Duration.ofMillis(200);
  static final Duration MAX = Duration.ofSeconds(30);

  @RepeatedTest(20)
  void after_doublesEachTime_withJitterBetweenHalfAndAll() {
    for (int attempt = 1; attempt <= 8; attempt++) {
      long step = 200L << (attempt - 1);
      assertThat(Backoff.after(attempt, BASE, MAX).toMillis()).as("attempt %d", attempt).isBetween(step / 2, step);
    }
  }

  @Test
  void after_isCappedAtTheMaximum_evenForHugeAttemptCounts() {
    for (int attempt : new int[] {9, 20, 31, 64, 1_000_000}) {
      assertThat(Backoff.after(attempt, BASE, MAX)).isBetween(MAX.dividedBy(2), MAX);
    }
  }
}
