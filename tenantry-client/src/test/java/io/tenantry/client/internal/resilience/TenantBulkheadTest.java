package io.tenantry.client.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.policy.ResilienceSpec;
import org.junit.jupiter.api.Test;

class TenantBulkheadTest {
  private static ResilienceSpec.Bulkhead caps(String json) {
    return FakeTime.spec("{'bulkhead': " + json + "}").bulkhead();
  }

  private static int enter(TenantBulkhead b, String tenant, String tier, int times) {
    int in = 0;
    for (int i = 0; i < times; i++) {
      if (b.tryAcquire(tenant, tier)) {
        in++;
      }
    }
    return in;
  }

  @Test
  void tryAcquire_tenantAtCap_othersUnaffected() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 2}"), false);
    assertThat(enter(b, "initech", "free", 10)).isEqualTo(2);
    assertThat(enter(b, "acme", "free", 2)).isEqualTo(2);
    assertThat(b.refused()).isEqualTo(8);
    assertThat(b.refusedByTenant()).containsOnlyKeys("initech").containsEntry("initech", 8L);
    b.release("initech");
    assertThat(b.tryAcquire("initech", "free")).isTrue();
  }

  @Test
  void tryAcquire_capOfTenantElseTierElseDefault() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 2, 'tiers': {'premium': 5},"
        + " 'tenants': {'acme': 7}}"), false);
    assertThat(enter(b, "acme", "premium", 10)).isEqualTo(7);
    assertThat(enter(b, "globex", "premium", 10)).isEqualTo(5);
    assertThat(enter(b, "initech", "free", 10)).isEqualTo(2);
    assertThat(enter(b, "unknown", null, 10)).isEqualTo(2);
    assertThat(enter(b, null, null, 10)).isEqualTo(2);
  }

  @Test
  void configure_lowerCapBelowInProgress_onlyNewCallsRefused() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 5}"), false);
    assertThat(enter(b, "acme", null, 5)).isEqualTo(5);
    b.configure(caps("{'maxConcurrent': 2}"), false);
    assertThat(b.inProgress("acme")).isEqualTo(5);
    assertThat(b.tryAcquire("acme", null)).isFalse();
    for (int i = 0; i < 4; i++) {
      b.release("acme"); // the calls in progress end normally
    }
    assertThat(b.tryAcquire("acme", null)).isTrue();
    assertThat(b.tryAcquire("acme", null)).isFalse();
  }

  @Test
  void configure_capsSetWhileCallsInProgress_countsThem() {
    TenantBulkhead b = new TenantBulkhead(null, false);
    assertThat(enter(b, "acme", null, 3)).isEqualTo(3);
    b.configure(caps("{'maxConcurrent': 3}"), false);
    assertThat(b.tryAcquire("acme", null)).isFalse();
    b.configure(null, false);
    for (int i = 0; i < 3; i++) {
      b.release("acme");
    }
    assertThat(b.inProgress("acme")).isZero();
  }

  @Test
  void dryRun_letsInAndCounts() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 1}"), true);
    assertThat(enter(b, "acme", null, 3)).isEqualTo(3);
    assertThat(b.wouldRefuse()).isEqualTo(2);
    assertThat(b.refused()).isZero();
    assertThat(b.inProgress("acme")).isEqualTo(3);
  }

  @Test
  void release_withoutCall_clearError() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 1}"), false);
    assertThatThrownBy(() -> b.release("acme")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acme");
  }

  @Test
  void tryAcquire_manyTenantIds_mapStaysBounded() {
    TenantBulkhead b = new TenantBulkhead(caps("{'maxConcurrent': 1}"), false);
    for (int i = 0; i < TenantBulkhead.MAX_TENANTS * 3; i++) {
      String tenant = "t-" + i;
      assertThat(b.tryAcquire(tenant, null)).isTrue();
      b.release(tenant);
    }
    assertThat(b.refusedByTenant()).isEmpty();
    assertThat(b.inProgress("t-0")).isZero();
  }
}
