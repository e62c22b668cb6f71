package io.tenantry.client.internal.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.LongSupplier;

/** A clock moved by hand, both wall ({@link Clock}) and monotonic ({@link LongSupplier} of nanos); test fixtures. */
final class FakeTime extends Clock implements LongSupplier {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private volatile long nanos = 1_000_000_000_000L;

  void advance(Duration d) {
    nanos += d.toNanos();
  }

  @Override
  public long getAsLong() {
    return nanos;
  }

  @Override
  public Instant instant() {
    return EPOCH.plusNanos(nanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  static ResilienceSpec spec(String json) {
    return PolicySpecs.parse(node(json), ResilienceSpec.class);
  }

  static Policy policy(String name, String service, boolean dryRun, String json) {
    return new Policy("shop", PolicyKind.RESILIENCE, name, service, dryRun, null, node(json), 1, 1, "test",
        Instant.EPOCH);
  }

  static JsonNode node(String json) {
    try {
      return Json.newMapper().readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Instance instance(String id) {
    return new Instance("shop", "payment", id, "127.0.0.1", 9000, "v1", "zone-a", 100, InstanceStatus.UP, Map.of(),
        null, 30, 1);
  }
}
