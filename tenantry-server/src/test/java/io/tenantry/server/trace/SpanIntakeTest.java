package io.tenantry.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpanIntakeTest {
  @Test
  void aFullIntakeRefusesAfterTheWait_takingNothing() throws InterruptedException {
    SpanIntake intake = new SpanIntake(10);
    assertThat(intake.tryAcquire(8)).isTrue();

    long start = System.nanoTime();
    assertThat(intake.acquire(5, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();

    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(intake.held()).isEqualTo(8);
  }

  @Test
  void aWaitingPostTakesTheRoomGivenBack() throws Exception {
    SpanIntake intake = new SpanIntake(10);
    assertThat(intake.tryAcquire(10)).isTrue();

    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return intake.acquire(4, TimeUnit.SECONDS.toNanos(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    intake.release(6); // the indexer stored six spans

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(intake.held()).isEqualTo(8);
  }

  @Test
  void noWaitMeansAtOnce() throws InterruptedException {
    SpanIntake intake = new SpanIntake(1);
    assertThat(intake.acquire(1, 0)).isTrue();
    assertThat(intake.acquire(1, 0)).isFalse();
    assertThat(intake.held()).isEqualTo(1);
  }
}
