package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicySamplerTest {
  private static Policy policy(String service, boolean dryRun, String spec) throws Exception {
    return new Policy("shop", PolicyKind.TRACING, service.equals("*") ? "all" : service, service, dryRun, "",
        new ObjectMapper().readTree(spec.replace('\'', '"')), 1, 1, "key", Instant.EPOCH);
  }

  @Test
  void ratio_serviceTenantThenServiceThenAnyTenantThenAnyThenDefault() throws Exception {
    PolicySampler s = new PolicySampler(0.1);
    assertThat(s.ratio("payment", "acme")).isEqualTo(0.1);
    s.apply(List.of(policy("*", false, "{'ratio':0.5,'tenants':{'acme':1.0}}"),
        policy("payment", false, "{'tenants':{'globex':0.0}}"),
        policy("user", false, "{'ratio':0.2}")));
    assertThat(s.ratio("payment", "globex")).isEqualTo(0.0);
    assertThat(s.ratio("payment", "acme")).isEqualTo(1.0);
    assertThat(s.ratio("payment", "initech")).isEqualTo(0.5);
    assertThat(s.ratio("user", "acme")).isEqualTo(0.2);
    assertThat(s.ratio(null, null)).isEqualTo(0.5);
    s.apply(List.of());
    assertThat(s.ratio("payment", "globex")).isEqualTo(0.1);
  }

  @Test
  void apply_ignoresDryRunPolicies() throws Exception {
    PolicySampler s = new PolicySampler(0.1);
    s.apply(List.of(policy("*", true, "{'ratio':1.0}")));
    assertThat(s.ratio("payment", null)).isEqualTo(0.1);
  }

  @Test
  void sampled_decidesOnTheTraceIdAsOpenTelemetryDoes() {
    assertThat(PolicySampler.sampled("0af7651916cd43dd0000000000000001", 0.0)).isFalse();
    assertThat(PolicySampler.sampled("0af7651916cd43dd7fffffffffffffff", 1.0)).isTrue();
    assertThat(PolicySampler.sampled("0af7651916cd43dd0000000000000001", 0.001)).isTrue();
    assertThat(PolicySampler.sampled("0af7651916cd43dd7fffffffffffffff", 0.999)).isFalse();
    int hits = 0;
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      hits += PolicySampler.sampled(String.format("%016x%016x", r.nextLong(), r.nextLong()), 0.25) ? 1 : 0;
    }
    assertThat(hits).isBetween(2_300, 2_700);
  }
}
