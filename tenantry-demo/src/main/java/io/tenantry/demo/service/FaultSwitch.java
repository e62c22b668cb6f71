package io.tenantry.demo.service;

import io.tenantry.api.Headers;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.DurationText;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The faults a payment instance injects on purpose, changeable while it runs ({@code PUT /internal/fault},
 * only with the namespace's service key; a field left out keeps its value):
 * <ul>
 *   <li>{@code failRate}: the share of calls refused with 503 before anything is tried; the launcher turns
 *       {@code payment-2}'s up to 1.0 for a stretch and back, so that callers' outlier ejection shows;
 *   <li>{@code haltAfterTry}: the next try that commits halts the JVM before it answers
 *       ({@code Runtime.halt}: no shutdown hook, no deregistration): a participant killed between try and
 *       confirm, which the chaos test restarts;
 *   <li>{@code slowTry} and {@code slowTryRate}: that share of tries sleeps that long inside its local
 *       transaction, past its caller's timeout.
 * </ul>
 * Thread-safe.
 */
final class FaultSwitch {
  static final String PATH = "/internal/fault";
  static final Duration MAX_SLOW_TRY = Duration.ofSeconds(60);

  /** The body of {@code PUT /internal/fault} and its answer; null fields are left as they are. */
  record Setting(Double failRate, Boolean haltAfterTry, String slowTry, Double slowTryRate) {
    Setting {
      share("failRate", failRate);
      share("slowTryRate", slowTryRate);
      if (slowTry != null) {
        DurationText.parse("slowTry", slowTry, Duration.ZERO, MAX_SLOW_TRY);
      }
      if (failRate == null && haltAfterTry == null && slowTry == null && slowTryRate == null) {
        throw new ValidationException("failRate", "missing (expected: at least one of failRate, haltAfterTry, slowTry, "
            + "slowTryRate)");
      }
    }

    static Setting failRate(double rate) {
      return new Setting(rate, null, null, null);
    }

    private static void share(String field, Double value) {
      if (value != null && !(value >= 0 && value <= 1)) {
        throw new ValidationException(field, value + " (expected: 0 to 1)");
      }
    }
  }

  private final DoubleSupplier random;
  private volatile double failRate;
  private volatile boolean haltAfterTry;
  private volatile Duration slowTry = Duration.ZERO;
  private volatile double slowTryRate;

  FaultSwitch(double failRate, DoubleSupplier random) {
    Setting.failRate(failRate); // validates
    this.failRate = failRate;
    this.random = random;
  }

  /** True if this call is to be refused: drawn against the current fail rate. */
  boolean failsNow() {
    return draw(failRate);
  }

  /** True if the JVM is to halt now that a try has committed. */
  boolean haltsAfterTry() {
    return haltAfterTry;
  }

  /** How long this try is to sleep inside its transaction: {@code slowTry} for a share of tries, else zero. */
  Duration slowTryNow() {
    Duration d = slowTry;
    return !d.isZero() && draw(slowTryRate) ? d : Duration.ZERO;
  }

  double failRate() {
    return failRate;
  }

  void set(double failRate) {
    set(Setting.failRate(failRate));
  }

  synchronized void set(Setting s) {
    if (s.failRate() != null) {
      failRate = s.failRate();
    }
    if (s.haltAfterTry() != null) {
      haltAfterTry = s.haltAfterTry();
    }
    if (s.slowTry() != null) {
      slowTry = DurationText.parse("slowTry", s.slowTry(), Duration.ZERO, MAX_SLOW_TRY);
    }
    if (s.slowTryRate() != null) {
      slowTryRate = s.slowTryRate();
    }
  }

  /** Every fault as it is now. */
  synchronized Setting current() {
    return new Setting(failRate, haltAfterTry, DurationText.format(slowTry), slowTryRate);
  }

  /** Adds {@code PUT /internal/fault} (the service key as bearer token, 401 otherwise). */
  void route(Router router, ServiceKey key) {
    router.route("PUT", PATH, r -> {
      key.check(r.header(Headers.AUTHORIZATION));
      set(r.body(Setting.class));
      return new Router.Response(200, current());
    });
  }

  private boolean draw(double rate) {
    return rate > 0 && (rate >= 1 || random.getAsDouble() < rate);
  }
}
