package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import org.junit.jupiter.api.Test;

/** Entering a tenant again skips its validation; that must never let an invalid id through. */
class TenantContextReuseTest {
  @Test
  void anInvalidTenantIsRefusedAfterAValidOne_andTheContextIsUnchanged() {
    try (TenantContext.Scope outer = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> TenantContext.enter("Acme")).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> TenantContext.enter(null)).isInstanceOf(ValidationException.class);
      assertThat(TenantContext.current()).contains("acme");
      try (TenantContext.Scope inner = TenantContext.enter(new String("acme"))) {
        assertThat(TenantContext.current()).contains("acme");
      }
      assertThat(TenantContext.current()).contains("acme");
    }
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void repeatedScopesOnOneThreadLeaveNothingCurrent() {
    for (int i = 0; i < 3; i++) {
      try (TenantContext.Scope scope = TenantContext.enter(i % 2 == 0 ? "acme" : "globex")) {
        assertThat(TenantContext.current()).contains(i % 2 == 0 ? "acme" : "globex");
      }
      assertThat(TenantContext.current()).isEmpty();
    }
  }
}
