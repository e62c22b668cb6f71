package io.tenantry.client.internal.tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the SDK's transaction calls reach the coordinator: once (begin: a retry would begin another), or, for the
 * idempotent ones (branch registration, commit, rollback), tried again a few times, briefly, while it cannot be
 * reached. Problems the coordinator answers are not retried. What a call is ({@code what}) is only put into words
 * when it failed: every transaction makes these calls. Stateless.
 */
final class CoordinatorCalls {
  /** Idempotent calls are tried this often when the coordinator cannot be reached. */
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private CoordinatorCalls() {}

  @FunctionalInterface
  interface CoordinatorCall<T> {
    T call() throws IOException, InterruptedException;
  }

  /** One call; an unreachable coordinator becomes an {@link UncheckedIOException}. */
  static <T> T once(Supplier<String> what, CoordinatorCall<T> c) {
    try {
      return c.call();
    } catch (IOException e) {
      throw new UncheckedIOException(what.get() + ": coordinator unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what.get() + ": interrupted", e);
    }
  }

  /** An idempotent call, tried again (a few times, briefly) while the coordinator cannot be reached. */
  static <T> T idempotent(Supplier<String> what, CoordinatorCall<T> c) {
    for (int attempt = 1; ; attempt++) {
      try {
        return c.call();
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new UncheckedIOException(what.get() + ": coordinator unreachable, outcome unknown: " + e.getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what.get() + ": interrupted", e);
      }
      try {
        Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what.get() + ": interrupted", e);
      }
    }
  }
}
