package io.tenantry.client.internal.limit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bucket4j.TimeMeter;
import io.tenantry.api.Json;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Shared fixtures of the limit tests: policies from JSON, a fake clock, environments. */
final class LimitFixtures {
  private LimitFixtures() {}

  static Policy rateLimit(String name, String service, String specJson) {
    return policy(PolicyKind.RATE_LIMIT, name, service, false, specJson, 1);
  }

  static Policy quota(String name, String service, String specJson) {
    return policy(PolicyKind.QUOTA, name, service, false, specJson, 1);
  }

  static Policy policy(PolicyKind kind, String name, String service, boolean dryRun, String specJson, long version) {
    return policy("shop", kind, name, service, dryRun, specJson, version);
  }

  static Policy policy(String namespace, PolicyKind kind, String name, String service, boolean dryRun, String specJson,
      long version) {
    try {
      JsonNode spec = Json.newMapper().readTree(specJson.replace('\'', '"'));
      return new Policy(namespace, kind, name, service, dryRun, "", spec, version, version, "test", Instant.EPOCH);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A clock that moves only when told. */
  static final class FakeTime implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  static LimitEnvironment env(FakeTime time, AtomicInteger up) {
    return new LimitEnvironment(up::get, null, time, LimitEnvironment.DEFAULT_MAX_KEYS);
  }
}
