package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import io.tenantry.client.internal.AllocationMeter;
import io.tenantry.client.internal.TenantSlot;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Entering a tenant again skips its validation, and a closed scope is reused by its thread: neither may let an
 * invalid id through or leave a tenant current.
 */
class TenantContextReuseTest {
  /** What Logback's MDC allocates for a put of an absent key: one HashMap node. */
  private static final int LOGBACK_MDC_ENTRY = 32;

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

  @Test
  void aClosedScopeIsReused_enteringAllocatesOnlyTheMdcsEntry_andNestedScopesStaySeparate() {
    TenantContext.Scope first = TenantContext.enter("acme");
    first.close();
    try (TenantContext.Scope again = TenantContext.enter("globex")) {
      assertThat(again).isSameAs(first);
      first.close(); // the same object: closing it ends the current scope (a closed scope is not to be used again)
      assertThat(TenantContext.current()).isEmpty();
    }
    try (TenantContext.Scope outer = TenantContext.enter("acme")) {
      try (TenantContext.Scope inner = TenantContext.enter("globex")) {
        assertThat(inner).isNotSameAs(outer);
        assertThat(TenantContext.current()).contains("globex");
      }
      assertThat(TenantContext.current()).contains("acme");
    }
    assertThat(TenantContext.current()).isEmpty();
    double bytes = AllocationMeter.bytesPerCall("tenant scope", 20_000, 100_000, () -> {
      try (TenantContext.Scope scope = TenantContext.enter("acme")) {
        if (!"acme".equals(TenantSlot.current())) { // not current(): its Optional is not what is measured
          throw new AssertionError("not current");
        }
      }
    });
    assertThat(bytes).isLessThan(LOGBACK_MDC_ENTRY + 1); // the scope itself: nothing
    assertThat(MDC.get("tenant_id")).isNull();
  }
}
