package io.tenantry.api.policy;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Spec of a {@code quota} policy: allowances over a long window (calls per hour, day or month), counted
 * across every instance of the governed service, enforced at its door like a rate limit. Where a rate
 * limit shapes bursts, a quota caps consumption (what a tier's plan includes).
 *
 * @param quotas every quota whose match holds must admit the call
 */
public record QuotaSpec(List<Quota> quotas) {
  public QuotaSpec {
    quotas = Checks.list("quotas", quotas);
    if (quotas.isEmpty()) {
      throw new ValidationException("quotas", "empty (expected: at least one quota)");
    }
    Checks.unique("quotas", quotas.stream().map(Quota::name).toList());
  }

  /**
   * {@code limit} calls per {@code window} per key, the window starting when the key's first call is
   * counted and renewing whole (not gradually). Overrides as for rate limits: a tenant's own entry, else
   * its tier's, else {@code limit}.
   *
   * @param name    unique in the policy; named in the 429 answer and in metrics
   * @param by      what one allowance is kept per (default {@code tenant})
   * @param match   which calls it counts (default: every call)
   * @param limit   calls per window, 1 or more
   * @param window  1m to 31d (default {@code 1d})
   * @param tiers   per-tier limit (for {@code by: tenant} or {@code tier})
   * @param tenants per-tenant limit (for {@code by: tenant})
   */
  public record Quota(String name, LimitKey by, RequestMatch match, Long limit, String window,
      Map<String, Long> tiers, Map<String, Long> tenants) {
    public Quota {
      Names.name("name", name);
      by = by == null ? LimitKey.TENANT : by;
      match = match == null ? RequestMatch.ANY : match;
      limit = Checks.range("limit", Names.required("limit", limit), 1, 1, Long.MAX_VALUE / 2);
      window = Checks.duration("window", window, "1d", Duration.ofMinutes(1), Duration.ofDays(31));
      tiers = Checks.byName("tiers", tiers);
      tenants = Checks.byName("tenants", tenants);
      for (Map.Entry<String, Long> e : tiers.entrySet()) {
        Checks.range("tiers." + e.getKey(), e.getValue(), 1, 1, Long.MAX_VALUE / 2);
      }
      for (Map.Entry<String, Long> e : tenants.entrySet()) {
        Checks.range("tenants." + e.getKey(), e.getValue(), 1, 1, Long.MAX_VALUE / 2);
      }
      if (!tiers.isEmpty() && by != LimitKey.TENANT && by != LimitKey.TIER) {
        throw new ValidationException("tiers", "set for a quota by " + by + " (expected: only with by tenant or tier)");
      }
      if (!tenants.isEmpty() && by != LimitKey.TENANT) {
        throw new ValidationException("tenants", "set for a quota by " + by + " (expected: only with by tenant)");
      }
    }

    public Duration windowDuration() {
      return DurationText.parse("window", window, Duration.ZERO, Duration.ofDays(31));
    }
  }
}
