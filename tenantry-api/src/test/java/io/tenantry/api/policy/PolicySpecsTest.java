package io.tenantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Json;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicySpecsTest {
  private static JsonNode json(String s) throws Exception {
    return Json.newMapper().readTree(s.replace('\'', '"'));
  }

  private static ValidationException refused(PolicyKind kind, String spec) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(ValidationException.class,
        () -> PolicySpecs.parse(kind, json(spec)));
  }

  @Test
  void readsACanaryRouteWithDefaults() throws Exception {
    RouteSpec r = (RouteSpec) PolicySpecs.parse(PolicyKind.ROUTE, json("{'rules':[{'name':'canary',"
        + "'match':{'tiers':['standard'],'paths':['/orders*']},'destinations':[{'subset':{'version':'v2'},'weight':10},"
        + "{'subset':{'version':'v1'},'weight':90}]}],'affinity':{}}"));
    assertThat(r.rules().get(0).onEmpty()).isEqualTo(RouteSpec.OnEmpty.FAIL);
    assertThat(r.rules().get(0).match().pathMatches("/orders/7")).isTrue();
    assertThat(r.rules().get(0).match().pathMatches("/users")).isFalse();
    assertThat(r.affinity().loadFactor()).isEqualTo(1.25);
    assertThat(r.locality()).isNull();
  }

  @Test
  void pointsAtTheFieldOfANestedError() {
    assertThat(refused(PolicyKind.ROUTE, "{'rules':[{'name':'a','destinations':[{'weight':-1}]}]}").field())
        .isEqualTo("spec.rules[0].destinations[0].weight");
    assertThat(refused(PolicyKind.ROUTE, "{'rules':[{'name':'a','destinations':[{'wieght':1}]}]}").field())
        .isEqualTo("spec.rules[0].destinations[0].wieght");
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'x','rate':'10'}]}").field())
        .isEqualTo("spec.limits[0].rate");
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'x','rate':10,'period':'1 sec'}]}").field())
        .isEqualTo("spec.limits[0].period");
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'x','by':'caller','rate':1,'tiers':{'free':{'rate':1}}}]}")
        .field()).isEqualTo("spec.limits[0].tiers");
    assertThat(refused(PolicyKind.RESILIENCE, "{'retry':{'maxAttempts':11}}").field()).isEqualTo("spec.retry.maxAttempts");
    assertThat(refused(PolicyKind.QUOTA, "{'quotas':[]}").field()).isEqualTo("spec.quotas");
    // a misspelt required field is named as the typo, not reported as the field missing
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'t','rtae':1}]}").field())
        .isEqualTo("spec.limits[0].rtae");
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'t','rate':1,'tiers':{'free':{'rtae':1}}}]}")
        .field()).isEqualTo("spec.limits[0].tiers.free.rtae");
    assertThat(refused(PolicyKind.RATE_LIMIT, "{'limits':[{'name':'a','rate':1},{'name':'a','rate':2}]}").field())
        .isEqualTo("spec.limits[1].name");
  }

  @Test
  void fillsDefaults() throws Exception {
    RateLimitSpec l = (RateLimitSpec) PolicySpecs.parse(PolicyKind.RATE_LIMIT, json("{'limits':[{'name':'t','rate':5}]}"));
    assertThat(l.mode()).isEqualTo(RateLimitSpec.Mode.LOCAL);
    assertThat(l.limits().get(0).burst()).isEqualTo(5);
    assertThat(l.limits().get(0).periodDuration()).isEqualTo(Duration.ofSeconds(1));
    ResilienceSpec r = (ResilienceSpec) PolicySpecs.parse(PolicyKind.RESILIENCE, json("{'retry':{},'circuitBreaker':{}}"));
    assertThat(r.timeoutDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.retry().budgetPercent()).isEqualTo(20);
    assertThat(r.circuitBreaker().minimumCalls()).isEqualTo(10);
  }

  @Test
  void durationsAreShortAndBounded() {
    assertThat(DurationText.parse("t", "250ms", Duration.ZERO, Duration.ofDays(1))).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThatThrownBy(() -> DurationText.parse("t", "2d", Duration.ZERO, Duration.ofDays(1)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("expected: 0ms to 1d");
    assertThatThrownBy(() -> DurationText.parse("t", "99999999999999s", Duration.ZERO, Duration.ofDays(1)))
        .isInstanceOf(ValidationException.class);
  }
}
