package io.tenantry.client.internal.resilience;

import static io.tenantry.client.internal.resilience.FakeTime.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InboundResilienceTest {
  private final FakeTime time = new FakeTime();
  private final InboundResilience inbound = new InboundResilience("order", time);

  @Test
  void apply_ownPolicyElseAny() {
    inbound.apply(List.of(policy("all", "*", false, "{'bulkhead': {'maxConcurrent': 1}}"),
        policy("pay", "payment", false, "{'bulkhead': {'maxConcurrent': 5}}")));
    assertThat(inbound.tryEnter("acme", null)).isTrue();
    assertThat(inbound.tryEnter("acme", null)).isFalse();
    inbound.apply(List.of(policy("all", "*", false, "{'bulkhead': {'maxConcurrent': 1}}"),
        policy("ord", "order", false, "{'bulkhead': {'maxConcurrent': 2},"
            + " 'adaptiveConcurrency': {'algorithm': 'aimd', 'initialLimit': 1}}")));
    assertThat(inbound.tryEnter("acme", null)).isTrue();
    assertThat(inbound.acquire()).isPresent();
    assertThat(inbound.acquire()).isEmpty();
    ResilienceStats.Inbound stats = inbound.stats();
    assertThat(stats.bulkheadRefused()).isEqualTo(1);
    assertThat(stats.bulkheadRefusedByTenant()).containsEntry("acme", 1L);
    assertThat(stats.adaptiveLimit()).isEqualTo(1);
    assertThat(stats.adaptiveRefused()).isEqualTo(1);
    inbound.exit("acme");
    inbound.exit("acme");
  }

  @Test
  void apply_none_everythingLetIn() {
    inbound.apply(List.of());
    for (int i = 0; i < 100; i++) {
      assertThat(inbound.tryEnter("acme", "free")).isTrue();
      assertThat(inbound.acquire()).isPresent();
    }
    assertThat(inbound.stats().policy()).isFalse();
  }

  @Test
  void dryRun_countsWithoutRefusing() {
    inbound.apply(List.of(policy("ord", "order", true, "{'bulkhead': {'maxConcurrent': 1}}")));
    assertThat(inbound.tryEnter("acme", null)).isTrue();
    assertThat(inbound.tryEnter("acme", null)).isTrue();
    assertThat(inbound.stats().bulkheadWouldRefuse()).isEqualTo(1);
    assertThat(inbound.stats().dryRun()).isTrue();
  }
}
