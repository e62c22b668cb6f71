package io.tenantry.client.internal.tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the SDK's transaction calls reach the coordinator: tried again a few times, briefly, while it cannot be
 * reached (a refused connection, a kept-alive connection the server had closed, no answer in time). Branch
 * registration, commit and rollback are idempotent; a begin repeated after its answer was lost leaves at worst an
 * empty transaction nobody uses, which its timeout rolls back with nothing to undo. Problems the coordinator
 * answers are not retried. What a call is ({@code what}) is only put into words when it failed: every transaction
 * makes these calls. Stateless.
 */
final class CoordinatorCalls {
  /** Calls are tried this often when the coordinator cannot be reached. */
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private CoordinatorCalls() {}

  @FunctionalInterface
  interface CoordinatorCall<T> {
    T call() throws IOException, InterruptedException;
  }

  /** A call, tried again (a few times, briefly) while the coordinator cannot be reached. */
  static <T> T retried(Supplier<String> what, CoordinatorCall<T> c) {
    for (int attempt = 1; ; attempt++) {
      try {
        return c.call();
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new UncheckedIOException(what.get() + ": coordinator unreachable (" + ATTEMPTS + " attempts): " + e.getMessage(), e);
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
