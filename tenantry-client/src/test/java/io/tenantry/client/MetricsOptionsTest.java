package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder's metrics options: what they accept and what they refuse, saying what was expected. */
class MetricsOptionsTest {
  @Test
  void refusesBadValues() {
    TenantryClient.Builder b = TenantryClient.newBuilder();
    assertThatThrownBy(() -> b.meterRegistry(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.meterTenantLimit(-1)).hasMessageContaining("meterTenantLimit: -1 (expected: 0..10000)");
    assertThatThrownBy(() -> b.meterTenantLimit(10_001)).hasMessageContaining("meterTenantLimit");
    assertThatThrownBy(() -> b.statsInterval(Duration.ofMillis(50))).hasMessageContaining("statsInterval")
        .hasMessageContaining("expected: 100ms to 1h, or 0 for off");
    assertThatThrownBy(() -> b.statsInterval(Duration.ofHours(2))).hasMessageContaining("statsInterval");
    assertThatThrownBy(() -> b.statsInterval(Duration.ofSeconds(-1))).hasMessageContaining("statsInterval");
    assertThatThrownBy(() -> b.statsTenantLimit(0)).hasMessageContaining("statsTenantLimit");
    assertThatThrownBy(() -> b.environment(Map.of("TENANTRY_STATS_INTERVAL", "often")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("TENANTRY_STATS_INTERVAL");
    assertThatThrownBy(() -> b.environment(Map.of("TENANTRY_STATS_INTERVAL", "10ms")))
        .hasMessageContaining("TENANTRY_STATS_INTERVAL");
  }

  @Test
  void acceptsTheirRanges() {
    assertThatCode(() -> TenantryClient.newBuilder().servers("http://127.0.0.1:1").namespace("shop").apiKey("k")
        .meterRegistry(new SimpleMeterRegistry()).meterTenantLimit(0).statsInterval(Duration.ZERO)
        .statsTenantLimit(10_000).environment(Map.of("TENANTRY_STATS_INTERVAL", "30s"))
        .environment(Map.of("TENANTRY_STATS_INTERVAL", "0")).build()).doesNotThrowAnyException();
  }
}
