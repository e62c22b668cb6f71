package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * What a client measures and reports, as its builder set it. Immutable.
 *
 * @param registry       where the RED meters go; null: no meters (the statistics report still runs)
 * @param tenantTags     most distinct tenant tag values; calls of later tenants are tagged {@code _other}
 * @param statsInterval  how often the per-tenant statistics are posted to the control plane; zero: never
 * @param statsTenants   most tenants per service and side in one interval's statistics; the rest as {@code _other}
 */
public record MetricsSettings(MeterRegistry registry, int tenantTags, Duration statsInterval, int statsTenants) {
  public static final int DEFAULT_TENANT_TAGS = 200;
  public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_STATS_TENANTS = 200;
  public static final MetricsSettings DEFAULT = new MetricsSettings(null, DEFAULT_TENANT_TAGS, DEFAULT_STATS_INTERVAL,
      DEFAULT_STATS_TENANTS);

  /** True if anything is measured at all. */
  boolean any() {
    return registry != null || !statsInterval.isZero();
  }
}
