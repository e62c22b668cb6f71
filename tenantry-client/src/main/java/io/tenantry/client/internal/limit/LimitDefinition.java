package io.tenantry.client.internal.limit;

import io.tenantry.api.policy.DurationText;
import io.tenantry.api.policy.LimitKey;
import io.tenantry.api.policy.QuotaSpec;
import io.tenantry.api.policy.RateLimitSpec;
import io.tenantry.api.policy.RequestMatch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rate limit or a quota in one form: what it counts per, which calls, and the bucket shape of the
 * defaults and of each override. Two equal definitions count the same way, which is what decides
 * whether remote buckets carry over a reconfiguration unchanged. Immutable.
 *
 * @param quota   true for a quota (whole refill per window), false for a rate limit (gradual refill)
 * @param tiers   override per tier, {@code tenants} per tenant, {@code callers} per caller
 */
record LimitDefinition(String name, boolean quota, LimitKey by, RequestMatch match, BucketShape defaults,
    Map<String, BucketShape> tiers, Map<String, BucketShape> tenants, Map<String, BucketShape> callers) {

  static LimitDefinition of(RateLimitSpec.Limit l) {
    Duration period = l.periodDuration();
    return new LimitDefinition(l.name(), false, l.by(), l.match(), new BucketShape(l.rate(), l.burst(), period, false),
        rates(l.tiers(), period), rates(l.tenants(), period), rates(l.callers(), period));
  }

  static LimitDefinition of(QuotaSpec.Quota q) {
    Duration window = q.windowDuration();
    return new LimitDefinition(q.name(), true, q.by(), q.match(), allowance(q.limit(), window),
        allowances(q.tiers(), window), allowances(q.tenants(), window), Map.of());
  }

  /** The shape for {@code key} (tenant, tier or caller id; null for a limit by service) and the key's {@code tier}. */
  BucketShape shape(String key, String tier) {
    BucketShape s = switch (by) {
      case SERVICE -> null;
      case TENANT -> {
        BucketShape own = tenants.get(key);
        yield own != null || tier == null ? own : tiers.get(tier);
      }
      case TIER -> tiers.get(key);
      case CALLER -> callers.get(key);
    };
    return s == null ? defaults : s;
  }

  /** True if a key's bucket depends on its tier as well (a limit by tenant with tier overrides). */
  boolean tierMatters() {
    return by == LimitKey.TENANT && !tiers.isEmpty();
  }

  /** {@code 10 per 1s}, as a refusal names the limit. */
  static String describe(BucketShape s) {
    return s.rate() + " per " + DurationText.format(s.period())
        + (!s.whole() && s.burst() != s.rate() ? ", burst " + s.burst() : "");
  }

  private static Map<String, BucketShape> rates(Map<String, RateLimitSpec.Rate> rates, Duration period) {
    Map<String, BucketShape> m = new LinkedHashMap<>();
    rates.forEach((k, r) -> m.put(k, new BucketShape(r.rate(), r.burst(), period, false)));
    return Map.copyOf(m);
  }

  private static Map<String, BucketShape> allowances(Map<String, Long> limits, Duration window) {
    Map<String, BucketShape> m = new LinkedHashMap<>();
    limits.forEach((k, n) -> m.put(k, allowance(n, window)));
    return Map.copyOf(m);
  }

  private static BucketShape allowance(long limit, Duration window) {
    return new BucketShape(limit, limit, window, true);
  }
}
