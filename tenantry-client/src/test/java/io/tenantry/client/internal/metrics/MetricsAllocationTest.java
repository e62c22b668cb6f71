package io.tenantry.client.internal.metrics;

import io.tenantry.client.internal.AllocationMeter;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.Names;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.internal.ServiceCalls;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Recording an attempt or a door request of a known key allocates nothing once warm (the thread's allocation
 * counter), with a Prometheus registry and the statistics both on; a rough cost per call is printed.
 */
class MetricsAllocationTest {
  private static final int WARMUP = 300_000;
  private static final int CALLS = 1_000_000;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MeterSet meters = new MeterSet(registry);
  private final TagValues tenants = new TagValues(200, Names::isName);
  private final TagValues methods = new TagValues(50, ClientMetrics::isMethod);
  private final StatsRecorder stats = new StatsRecorder(200);

  private static double bytesPerCall(String name, Runnable call) {
    return AllocationMeter.bytesPerCall(name, WARMUP, CALLS, call);
  }

  @Test
  void outboundAttempt_allocationFree() {
    OutboundRecorder recorder = new OutboundRecorder(new OutboundMeters(meters, new TagValues(500, Names::isName),
        methods, tenants, s -> { }), new OutboundStats(stats));
    long nanos = Duration.ofMillis(3).toNanos();
    ServiceCalls payment = new ServiceCalls("payment");
    assertThat(bytesPerCall("outbound attempt (meters + stats)", () -> recorder.attempt(payment, "globex", "GET", 1,
        CallOutcome.SUCCESS, 200, nanos, false))).isLessThan(1);
  }

  @Test
  void doorRequest_allocationFree() {
    DoorRecorder door = new DoorRecorder(new DoorMeters(meters, "payment", methods, tenants,
        new TagValues(32, Names::isName)), stats);
    assertThat(bytesPerCall("door request (meters + stats)", () -> door.exited(
        door.entered(null, null, "globex", "GET", "/pay", null), "globex", "GET", "/pay", 200, 1_000_000))).isLessThan(1);
    assertThat(bytesPerCall("door refusal (meters + stats)", () -> door.refused("globex", "GET", "/pay", 429,
        "rate-limited"))).isLessThan(1);
  }
}
