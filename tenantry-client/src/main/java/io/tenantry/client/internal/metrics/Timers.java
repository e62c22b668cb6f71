package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The timers of the SDK, all with the same histogram: 14 fixed buckets from 1 ms to 30 s, which Prometheus
 * reads with {@code histogram_quantile}. Micrometer's percentile histogram would publish 66 buckets per timer
 * between those bounds: with 200 tenants times methods and outcomes, too many series.
 */
final class Timers {
  static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private Timers() {}

  static Timer timer(MeterRegistry registry, String name, String description, Tags tags) {
    return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS)
        .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
  }
}
