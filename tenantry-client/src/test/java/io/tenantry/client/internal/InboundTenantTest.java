package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Isolation;
import io.tenantry.api.TenantStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundTenantTest {
  @Test
  void header_winsOverBaggage() {
    assertThat(InboundTenant.decide("acme", "tenant.id=globex", null).tenant()).isEqualTo("acme");
  }

  @Test
  void baggage_isUsedWithoutHeader() {
    assertThat(InboundTenant.decide(null, "a=1,tenant.id=globex", null).tenant()).isEqualTo("globex");
  }

  @Test
  void none_isAccepted() {
    InboundTenant.Decision d = InboundTenant.decide(null, null, null);
    assertThat(d.refused()).isFalse();
    assertThat(d.tenant()).isNull();
  }

  @Test
  void malformed_isRefusedWith400() {
    for (String bad : new String[] {"ACME", "a b", "x".repeat(5000), "../etc", "acme\u0000"}) {
      InboundTenant.Decision d = InboundTenant.decide(bad, null, null);
      assertThat(d.status()).isEqualTo(400);
      assertThat(d.type()).isEqualTo("invalid-tenant");
      assertThat(d.detail().length()).isLessThan(300);
    }
    assertThat(InboundTenant.decide(null, "tenant.id=%41CME", null).status()).isEqualTo(400);
  }

  @Test
  void suspended_isRefusedWith403_unknownAccepted() {
    assertThat(InboundTenant.decide("acme", null,
        id -> (tenant(id, Isolation.POOLED, TenantStatus.SUSPENDED))).status()).isEqualTo(403);
    assertThat(InboundTenant.decide("acme", null, id -> null).tenant()).isEqualTo("acme");
  }
}
