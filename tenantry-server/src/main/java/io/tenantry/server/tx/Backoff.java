package io.tenantry.server.tx;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter between half and all of the step: base, 2·base, 4·base, … up to max. */
final class Backoff {
  private Backoff() {}

  /** The wait before retry {@code attempt} (1 for the first retry). */
  static Duration after(int attempt, Duration base, Duration max) {
    long ceiling = max.toMillis();
    long step = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
    long capped = step <= 0 || step > ceiling ? ceiling : step;
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
