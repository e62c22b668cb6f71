package io.tenantry.client.internal.limit;

import static io.tenantry.client.internal.limit.LimitFixtures.env;
import static io.tenantry.client.internal.limit.LimitFixtures.policy;
import static io.tenantry.client.internal.limit.LimitFixtures.quota;
import static io.tenantry.client.internal.limit.LimitFixtures.rateLimit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Json;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.RequestHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DoorLimitsTest {
  private final LimitFixtures.FakeTime time = new LimitFixtures.FakeTime();
  private final AtomicInteger up = new AtomicInteger(1);
  private final LimitEnvironment env = env(time, up);

  private DoorLimits compile(Policy... policies) {
    return DoorLimits.compile("order", List.of(policies), null, env);
  }

  /** How many of {@code n} calls of {@code tenant} are admitted. */
  private static int admitted(DoorLimits limits, int n, String tenant, String tier) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      if (limits.check(tenant, tier, null, "GET", "/orders") == null) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void byTenant_eachTenantHasItsOwnBucket() {
    DoorLimits limits = compile(rateLimit("order-limits", "order", "{'limits':[{'name':'per-tenant','rate':2}]}"));

    assertThat(admitted(limits, 5, "acme", "standard")).isEqualTo(2);
    assertThat(admitted(limits, 5, "globex", "standard")).isEqualTo(2);
  }

  @Test
  void byTenant_tenantOverrideThenTierThenDefault() {
    DoorLimits limits = compile(rateLimit("order-limits", "order", """
        {'limits':[{'name':'per-tenant','rate':2,
          'tiers':{'free':{'rate':1},'premium':{'rate':5,'burst':6}},
          'tenants':{'acme':{'rate':3}}}]}"""));

    assertThat(admitted(limits, 10, "initech", "free")).isEqualTo(1);
    assertThat(admitted(limits, 10, "globex", "premium")).isEqualTo(6);
    assertThat(admitted(limits, 10, "acme", "premium")).as("the tenant's own entry wins over its tier's").isEqualTo(3);
    assertThat(admitted(limits, 10, "hooli", "standard")).as("a tier without override: defaults").isEqualTo(2);
  }

  @Test
  void byTenant_aTenantChangingTierIsResizedWithoutReset() {
    DoorLimits limits = compile(rateLimit("l", "order",
        "{'limits':[{'name':'per-tenant','rate':1,'tiers':{'premium':{'rate':4}}}]}"));
    assertThat(admitted(limits, 3, "initech", "free")).isEqualTo(1);

    // Upgraded: capacity 4 and the premium rate, but no free tokens at the switch.
    assertThat(admitted(limits, 10, "initech", "premium")).isZero();
    time.advance(Duration.ofSeconds(1));
    assertThat(admitted(limits, 10, "initech", "premium")).isEqualTo(4);
  }

  @Test
  void byService_byTier_byCaller_keys() {
    DoorLimits limits = compile(rateLimit("l", "order", """
        {'limits':[{'name':'all','by':'service','rate':100},
                   {'name':'per-tier','by':'tier','rate':3},
                   {'name':'per-caller','by':'caller','rate':1,'callers':{'checkout':{'rate':2}}}]}"""));

    assertThat(limits.check("a", "free", "checkout", "GET", "/")).isNull();
    assertThat(limits.check("b", "free", "checkout", "GET", "/")).isNull();
    assertThat(limits.check("c", "free", "checkout", "GET", "/")).as("caller 'checkout' has 2").isNotNull();
    assertThat(limits.check("c", "free", "billing", "GET", "/")).isNull();
    assertThat(limits.check("c", "free", "reports", "GET", "/")).as("tier 'free' has 3").isNotNull();
    assertThat(limits.check("c", "premium", "reports", "GET", "/")).isNull();
    assertThat(limits.stats()).extracting(LimitStats::limit, LimitStats::admitted, LimitStats::refused)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("all", 6L, 0L),
            org.assertj.core.groups.Tuple.tuple("per-tier", 5L, 1L),
            org.assertj.core.groups.Tuple.tuple("per-caller", 4L, 1L));
  }

  @Test
  void missingTenantOrCaller_shareTheBucketNamedDash() {
    DoorLimits limits = compile(rateLimit("l", "order", "{'limits':[{'name':'per-tenant','rate':1}]}"));

    assertThat(limits.check(null, null, null, "GET", "/")).isNull();
    Refusal r = limits.check(null, null, null, "GET", "/");
    assertThat(r).isNotNull();
    assertThat(json(r).get("detail").asText()).startsWith("tenant '-' is over limit");
  }

  @Test
  void match_callsItDoesNotMatchAreNotCounted() {
    DoorLimits limits = compile(rateLimit("l", "order", """
        {'limits':[{'name':'writes','rate':1,
          'match':{'methods':['POST'],'paths':['/orders/*','/carts'],'headers':{'X-Plan':'trial'}}}]}"""));
    Map<String, String> trial = Map.of("x-plan", "trial");
    RequestHeaders<Map<String, String>> reader = Map::get;

    assertThat(limits.check("a", null, null, "POST", "/orders/1", trial, reader)).isNull();
    assertThat(limits.check("a", null, null, "POST", "/orders/2", trial, reader)).isNotNull();
    assertThat(limits.check("a", null, null, "GET", "/orders/2", trial, reader)).as("method").isNull();
    assertThat(limits.check("a", null, null, "POST", "/payments", trial, reader)).as("path").isNull();
    assertThat(limits.check("a", null, null, "POST", "/orders/3", Map.of(), reader)).as("header").isNull();
    assertThat(limits.check("a", null, null, "POST", "/carts", trial, reader)).as("exact path").isNotNull();
    assertThat(limits.check("a", null, null, "POST", "/carts/1", trial, reader)).as("not a prefix").isNull();
  }

  @Test
  void policiesOfOtherServicesAndKindsAreIgnored_starApplies() {
    DoorLimits limits = compile(
        rateLimit("mine", "order", "{'limits':[{'name':'a','rate':5}]}"),
        rateLimit("everyone", "*", "{'limits':[{'name':'b','rate':1}]}"),
        rateLimit("theirs", "payment", "{'limits':[{'name':'c','rate':1}]}"),
        policy(PolicyKind.ROUTE, "route", "order", false, "{'rules':[]}", 1));

    assertThat(limits.stats()).extracting(LimitStats::policy).containsExactly("everyone", "mine");
    assertThat(admitted(limits, 3, "acme", null)).isEqualTo(1);
  }

  @Test
  void refusal_is429WithRetryAfterAndAProblemNamingPolicyLimitAndKey() {
    DoorLimits limits = compile(rateLimit("order-limits", "order",
        "{'limits':[{'name':'per-tenant','rate':10,'period':'1s'}]}"));
    admitted(limits, 10, "initech", "free");

    Refusal r = limits.check("initech", "free", null, "GET", "/orders");

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.retryAfterSeconds()).isEqualTo(1);
    assertThat(r.type()).isEqualTo("rate-limited");
    JsonNode body = json(r);
    assertThat(body.get("type").asText()).isEqualTo("https://tenantry.io/problems/rate-limited");
    assertThat(body.get("title").asText()).isEqualTo("Rate limit exceeded");
    assertThat(body.get("status").asInt()).isEqualTo(429);
    assertThat(body.get("detail").asText())
        .isEqualTo("tenant 'initech' is over limit 'per-tenant' of rate-limit policy 'order-limits' (10 per 1s)");
  }

  @Test
  void refusal_retryAfterIsTheWaitForOneTokenRoundedUp() {
    DoorLimits limits = compile(rateLimit("l", "order", "{'limits':[{'name':'slow','rate':1,'period':'10s'}]}"));
    limits.check("a", null, null, "GET", "/");
    time.advance(Duration.ofMillis(2500));

    assertThat(limits.check("a", null, null, "GET", "/").retryAfterSeconds()).isEqualTo(8);
  }

  @Test
  void quota_renewsWholeAtTheEndOfItsWindow() {
    DoorLimits limits = compile(quota("plans", "order",
        "{'quotas':[{'name':'daily','limit':3,'window':'1h','tiers':{'premium':10}}]}"));
    assertThat(admitted(limits, 5, "initech", "free")).isEqualTo(3);
    time.advance(Duration.ofMinutes(30));

    Refusal r = limits.check("initech", "free", null, "GET", "/");
    assertThat(r.type()).isEqualTo("quota-exceeded");
    assertThat(r.retryAfterSeconds()).isEqualTo(1800);
    assertThat(json(r).get("detail").asText())
        .isEqualTo("tenant 'initech' has used up quota 'daily' of quota policy 'plans' (3 per 1h)");
    assertThat(admitted(limits, 20, "globex", "premium")).isEqualTo(10);

    time.advance(Duration.ofMinutes(30));
    assertThat(admitted(limits, 5, "initech", "free")).isEqualTo(3);
  }

  @Test
  void rateLimitsAreCheckedBeforeQuotas_andAQuotaRefusalGivesTheRateTokenBack() {
    Policy rate = rateLimit("rate", "order", "{'limits':[{'name':'per-tenant','rate':2,'period':'1h'}]}");
    DoorLimits limits = compile(quota("plans", "order", "{'quotas':[{'name':'q','limit':1}]}"), rate);
    assertThat(limits.stats()).extracting(LimitStats::kind).containsExactly("rate-limit", "quota");

    assertThat(admitted(limits, 3, "acme", null)).isEqualTo(1);

    DoorLimits withoutQuota = DoorLimits.compile("order", List.of(rate), limits, env);
    assertThat(admitted(withoutQuota, 3, "acme", null)).as("one of two rate tokens is left").isEqualTo(1);
  }

  @Test
  void dryRun_countsWouldBeRefusalsButAdmits() {
    Policy p = policy(PolicyKind.RATE_LIMIT, "trial", "order", true, "{'limits':[{'name':'per-tenant','rate':2}]}", 1);
    DoorLimits limits = compile(p);

    assertThat(admitted(limits, 5, "acme", null)).isEqualTo(5);
    assertThat(limits.stats()).singleElement()
        .satisfies(s -> {
          assertThat(s.dryRun()).isTrue();
          assertThat(s.admitted()).isEqualTo(2);
          assertThat(s.wouldRefuse()).isEqualTo(3);
          assertThat(s.refused()).isZero();
        });
  }

  @Test
  void reconfiguration_keepsBucketsAndCounters() {
    Policy v1 = policy(PolicyKind.RATE_LIMIT, "l", "order", false, "{'limits':[{'name':'per-tenant','rate':3,'period':'1m'}]}", 1);
    DoorLimits first = compile(v1);
    assertThat(admitted(first, 3, "acme", null)).isEqualTo(3);

    Policy other = rateLimit("other", "order", "{'limits':[{'name':'x','rate':100}]}");
    DoorLimits second = DoorLimits.compile("order", List.of(v1, other), first, env);
    assertThat(admitted(second, 1, "acme", null)).as("no fresh burst after a push").isZero();

    Policy v2 = policy(PolicyKind.RATE_LIMIT, "l", "order", false, "{'limits':[{'name':'per-tenant','rate':60,'period':'1m'}]}", 2);
    DoorLimits third = DoorLimits.compile("order", List.of(v2), second, env);
    assertThat(admitted(third, 1, "acme", null)).as("a higher rate does not refill at once").isZero();
    time.advance(Duration.ofSeconds(2));
    assertThat(admitted(third, 5, "acme", null)).as("but refills at the new rate").isEqualTo(2);
    assertThat(third.stats()).singleElement().satisfies(s -> {
      assertThat(s.admitted()).isEqualTo(5);
      assertThat(s.refused()).isEqualTo(5);
    });
  }

  @Test
  void reconfiguration_oldAndNewCompiledLimitsCanRunTogether() {
    Policy v1 = rateLimit("l", "order", "{'limits':[{'name':'per-tenant','rate':4,'period':'1m'}]}");
    DoorLimits first = compile(v1);
    Policy v2 = policy(PolicyKind.RATE_LIMIT, "l", "order", false, "{'limits':[{'name':'per-tenant','rate':2,'period':'1m'}]}", 2);
    DoorLimits second = DoorLimits.compile("order", List.of(v2), first, env);

    // A call in flight on the old configuration and calls on the new one share one bucket:
    // 4 - 1 = 3 tokens, capped at the new capacity 2.
    assertThat(first.check("acme", null, null, "GET", "/")).isNull();
    assertThat(admitted(second, 5, "acme", null)).isEqualTo(2);
  }

  @Test
  void localShare_dividesRateAndBurstByUpInstances_andFollowsChanges() {
    up.set(2);
    DoorLimiter limiter = new DoorLimiter("order", env);
    limiter.update(List.of(rateLimit("l", "order", "{'limits':[{'name':'per-tenant','rate':10,'period':'1m'}]}")));
    assertThat(limiter.current().shares()).isEqualTo(2);
    assertThat(admitted(limiter.current(), 10, "acme", null)).isEqualTo(5);

    up.set(0);
    limiter.instancesChanged();
    assertThat(limiter.current().shares()).as("at least one share").isEqualTo(1);
    assertThat(admitted(limiter.current(), 20, "globex", null)).isEqualTo(10);
    assertThat(admitted(limiter.current(), 20, "acme", null)).as("acme's spent tokens stay spent").isZero();
    time.advance(Duration.ofSeconds(30));
    assertThat(admitted(limiter.current(), 20, "acme", null)).as("refilled at the whole rate again").isEqualTo(5);
  }

  @Test
  void localShare_smallerThanOneTokenPerPeriodStillRefillsExactly() {
    up.set(3);
    DoorLimits limits = compile(rateLimit("l", "order", "{'limits':[{'name':'per-tenant','rate':1,'period':'1s'}]}"));

    assertThat(admitted(limits, 3, "a", null)).isEqualTo(1);
    time.advance(Duration.ofMillis(2900));
    assertThat(admitted(limits, 3, "a", null)).isZero();
    time.advance(Duration.ofMillis(100));
    assertThat(admitted(limits, 3, "a", null)).isEqualTo(1);
  }

  @Test
  void bucketsPerLimitAreBounded_newKeysOverflowIntoOneSharedBucket() {
    LimitEnvironment small = new LimitEnvironment(up::get, null, time, 3);
    DoorLimits limits = DoorLimits.compile("order",
        List.of(rateLimit("l", "order", "{'limits':[{'name':'per-tenant','rate':2,'period':'1m'}]}")), null, small);
    for (String t : List.of("t1", "t2", "t3")) {
      assertThat(limits.check(t, null, null, "GET", "/")).isNull();
    }

    // Hostile ids: one shared bucket of the default size, not one each.
    assertThat(admitted(limits, 1, "x1", null) + admitted(limits, 1, "x2", null) + admitted(limits, 1, "x3", null))
        .isEqualTo(2);
    Refusal r = limits.check("x4", null, null, "GET", "/");
    assertThat(json(r).get("detail").asText()).startsWith("calls of new tenants (too many distinct ones) share one bucket");

    // Once the first keys' buckets are full again, they are dropped (a new bucket would be identical).
    time.advance(Duration.ofMinutes(1));
    assertThat(limits.check("x5", null, null, "GET", "/")).isNull();
    assertThat(limits.check("x5", null, null, "GET", "/")).isNull();
    assertThat(limits.check("x5", null, null, "GET", "/")).as("x5 has a bucket of its own").isNotNull();
  }

  @Test
  void aPolicyThatDoesNotParseIsSkipped() {
    DoorLimits limits = compile(rateLimit("bad", "order", "{'limits':[{'name':'x','rate':0}]}"),
        rateLimit("good", "order", "{'limits':[{'name':'y','rate':1}]}"));

    assertThat(limits.stats()).extracting(LimitStats::policy).containsExactly("good");
  }

  @Test
  void noPolicies_admitsEverything() {
    assertThat(DoorLimits.none("order").check("a", null, null, "GET", "/")).isNull();
    assertThat(compile().isEmpty()).isTrue();
  }

  static JsonNode json(Refusal r) {
    try {
      return Json.newMapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
