package io.tenantry.demo.service;

import io.tenantry.api.Headers;
import java.util.function.DoubleSupplier;

/**
 * The share of calls an instance refuses on purpose, changeable while it runs: the launcher turns a
 * payment instance's failures up to 100% for a stretch and back down ({@code PUT /internal/fault
 * {"failRate": 1.0}}, only with the namespace's service key), so that callers' outlier ejection takes
 * it out of rotation and lets it back when it is healthy again. Thread-safe.
 */
final class FaultSwitch {
  static final String PATH = "/internal/fault";

  /** The body of {@code PUT /internal/fault}. */
  record Setting(Double failRate) {
    Setting {
      if (failRate == null || !(failRate >= 0 && failRate <= 1)) {
        throw new io.tenantry.api.ValidationException("failRate", failRate + " (expected: 0 to 1)");
      }
    }
  }

  private final DoubleSupplier random;
  private volatile double failRate;

  FaultSwitch(double failRate, DoubleSupplier random) {
    new Setting(failRate); // validates
    this.failRate = failRate;
    this.random = random;
  }

  /** True if this call is to be refused: drawn against the current fail rate. */
  boolean failsNow() {
    double rate = failRate;
    return rate > 0 && (rate >= 1 || random.getAsDouble() < rate);
  }

  double failRate() {
    return failRate;
  }

  void set(double failRate) {
    this.failRate = new Setting(failRate).failRate();
  }

  /** Adds {@code PUT /internal/fault} (the service key as bearer token, 401 otherwise). */
  void route(Router router, ServiceKey key) {
    router.route("PUT", PATH, r -> {
      key.check(r.header(Headers.AUTHORIZATION));
      set(r.body(Setting.class).failRate());
      return new Router.Response(200, new Setting(failRate));
    });
  }
}
