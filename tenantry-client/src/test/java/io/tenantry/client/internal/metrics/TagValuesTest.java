package io.tenantry.client.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Names;
import io.tenantry.client.CallOutcome;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagValuesTest {
  @Test
  void hundredThousandTenants_makeAtMostTheLimitPlusTwoValues() {
    TagValues tenants = new TagValues(200, Names::isName);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(tenants.of("tenant-" + i));
    }
    seen.add(tenants.of(null));
    assertThat(seen).hasSize(202).contains(TagValues.OTHER, TagValues.NONE, "tenant-0", "tenant-199")
        .doesNotContain("tenant-200");
    assertThat(tenants.of("tenant-7")).isEqualTo("tenant-7"); // a kept value stays kept
    assertThat(tenants.size()).isEqualTo(200);
  }

  @Test
  void invalidValues_areOther_andTakeNoPlace() {
    TagValues tenants = new TagValues(2, Names::isName);
    for (String hostile : new String[] {"../x", "a\nb", "UPPER", "x".repeat(100), "", "名前"}) {
      assertThat(tenants.of(hostile)).isEqualTo(TagValues.OTHER);
    }
    assertThat(tenants.of("acme")).isEqualTo("acme");
    assertThat(tenants.size()).isEqualTo(1);
  }

  @Test
  void outboundMeters_forManyTenants_stayBounded() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeterSet set = new MeterSet(registry);
    OutboundMeters meters = new OutboundMeters(set, new TagValues(10, Names::isName),
        new TagValues(5, ClientMetrics::isMethod), new TagValues(50, Names::isName), s -> { });
    for (int i = 0; i < 10_000; i++) {
      meters.record("order", "t" + i, i % 2 == 0 ? "GET" : "m" + i, 1, CallOutcome.SUCCESS, 1_000_000, false);
    }
    // 51 tenant values (50 + _other) and 6 method values (5 + _other) at most
    assertThat(registry.find("tenantry.client.attempts").timers().stream().map(t -> t.getId().getTag("tenant"))
        .distinct().count()).isEqualTo(51);
    assertThat(registry.find("tenantry.client.attempts").timers().stream().map(t -> t.getId().getTag("method"))
        .distinct()).containsExactlyInAnyOrder("GET", "m1", "m3", "m5", "m7", TagValues.OTHER);
    assertThat(registry.find("tenantry.client.attempts").timers().size()).isLessThanOrEqualTo(51 * 6);
    assertThat(registry.find("tenantry.client.calls").counters().stream().mapToDouble(c -> c.count()).sum())
        .isEqualTo(10_000);
    set.removeAll();
    assertThat(registry.getMeters()).isEmpty();
  }
}
