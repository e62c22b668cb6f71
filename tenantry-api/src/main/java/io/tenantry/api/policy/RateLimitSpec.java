package io.tenantry.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WireEnum;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Spec of a {@code rate-limit} policy: token buckets at the governed service's door (its SDK's
 * inbound filter). A call over a limit is answered 429 with {@code Retry-After}.
 *
 * @param mode   {@code local}: each instance enforces its share (the limit divided by the service's UP
 *               instances); {@code cluster}: one bucket shared by every instance (default {@code local})
 * @param limits every limit whose match holds must admit the call
 */
public record RateLimitSpec(Mode mode, List<Limit> limits) {
  public RateLimitSpec {
    mode = mode == null ? Mode.LOCAL : mode;
    limits = Checks.list("limits", limits);
    if (limits.isEmpty()) {
      throw new ValidationException("limits", "empty (expected: at least one limit)");
    }
    Checks.unique("limits", limits.stream().map(Limit::name).toList());
  }

  /** Where a limit's tokens are counted. */
  public enum Mode implements WireEnum {
    LOCAL("local"),
    CLUSTER("cluster");

    private final String wire;

    Mode(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static Mode of(String wire) {
      return WireEnum.parse(values(), "mode", wire);
    }
  }

  /**
   * One token bucket per key: {@code rate} tokens every {@code period}, holding at most {@code burst}.
   * For a key with an override the override's rate and burst apply: for {@code by: tenant}, the tenant's
   * own entry in {@code tenants}, else its tier's in {@code tiers}, else the defaults here.
   *
   * @param name    unique in the policy; named in the 429 answer and in metrics
   * @param by      what one bucket is kept per (default {@code tenant})
   * @param match   which calls it counts (default: every call)
   * @param rate    tokens added per period, 1 or more
   * @param period  default {@code 1s}; 1ms to 1d
   * @param burst   bucket capacity, default {@code rate}
   * @param tiers   per-tier rate and burst (for {@code by: tenant} or {@code tier})
   * @param tenants per-tenant rate and burst (for {@code by: tenant})
   * @param callers per-caller rate and burst (for {@code by: caller})
   */
  public record Limit(String name, LimitKey by, RequestMatch match, Long rate, String period, Long burst,
      Map<String, Rate> tiers, Map<String, Rate> tenants, Map<String, Rate> callers) {
    public static final long MAX_RATE = 1_000_000_000L;

    public Limit {
      Names.name("name", name);
      by = by == null ? LimitKey.TENANT : by;
      match = match == null ? RequestMatch.ANY : match;
      rate = Checks.range("rate", Names.required("rate", rate), 1, 1, MAX_RATE);
      period = Checks.duration("period", period, "1s", Duration.ofMillis(1), Duration.ofDays(1));
      burst = Checks.range("burst", burst, rate, 1, MAX_RATE);
      tiers = Checks.byName("tiers", tiers);
      tenants = Checks.byName("tenants", tenants);
      callers = Checks.byName("callers", callers);
      if (!tiers.isEmpty() && by != LimitKey.TENANT && by != LimitKey.TIER) {
        throw new ValidationException("tiers", "set for a limit by " + by + " (expected: only with by tenant or tier)");
      }
      if (!tenants.isEmpty() && by != LimitKey.TENANT) {
        throw new ValidationException("tenants", "set for a limit by " + by + " (expected: only with by tenant)");
      }
      if (!callers.isEmpty() && by != LimitKey.CALLER) {
        throw new ValidationException("callers", "set for a limit by " + by + " (expected: only with by caller)");
      }
    }

    public Duration periodDuration() {
      return DurationText.parse("period", period, Duration.ZERO, Duration.ofDays(1));
    }
  }

  /** A rate and burst overriding a limit's defaults for one tier, tenant or caller. */
  public record Rate(Long rate, Long burst) {
    public Rate {
      rate = Checks.range("rate", Names.required("rate", rate), 1, 1, Limit.MAX_RATE);
      burst = Checks.range("burst", burst, rate, 1, Limit.MAX_RATE);
    }
  }
}
