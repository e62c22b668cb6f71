package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextTest {
  @Test
  void enter_setsAndCloseRestoresNothing() {
    assertThat(TenantContext.current()).isEmpty();
    try (TenantContext.Scope scope = TenantContext.enter("acme")) {
      assertThat(TenantContext.current()).contains("acme");
    }
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void scopes_nestAndRestoreThePreviousTenant() {
    try (TenantContext.Scope outer = TenantContext.enter("acme")) {
      try (TenantContext.Scope inner = TenantContext.enter("globex")) {
        assertThat(TenantContext.current()).contains("globex");
      }
      assertThat(TenantContext.current()).contains("acme");
    }
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void close_isIdempotent() {
    TenantContext.Scope outer = TenantContext.enter("acme");
    TenantContext.Scope inner = TenantContext.enter("globex");
    inner.close();
    inner.close();
    assertThat(TenantContext.current()).contains("acme");
    outer.close();
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void theMdcHoldsTheCurrentTenant_andClosingPutsBackThePreviousOne() {
    try (TenantContext.Scope outer = TenantContext.enter("acme")) {
      assertThat(MDC.get("tenant_id")).isEqualTo("acme");
      try (TenantContext.Scope inner = TenantContext.enter("globex")) {
        assertThat(MDC.get("tenant_id")).isEqualTo("globex");
      }
      assertThat(MDC.get("tenant_id")).isEqualTo("acme");
    }
    assertThat(MDC.get("tenant_id")).isNull();
  }

  @Test
  void close_restoresEvenWhenTheBodyThrows() {
    assertThatThrownBy(() -> {
      try (TenantContext.Scope scope = TenantContext.enter("acme")) {
        throw new IllegalStateException("boom");
      }
    }).hasMessage("boom");
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void context_isPerThread() throws Exception {
    try (TenantContext.Scope scope = TenantContext.enter("acme")) {
      Optional<String> other = CompletableFuture.supplyAsync(TenantContext::current).get();
      assertThat(other).isEmpty();
    }
  }

  @Test
  void close_onAnotherThread_isRefused() throws Exception {
    try (TenantContext.Scope scope = TenantContext.enter("acme")) {
      Throwable t = CompletableFuture.runAsync(scope::close).handle((v, e) -> e).get();
      assertThat(t).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(TenantContext.current()).contains("acme");
    }
  }

  @Test
  void enter_refusesInvalidTenants() {
    assertThatThrownBy(() -> TenantContext.enter(null)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> TenantContext.enter("Not Valid")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> TenantContext.enter("x".repeat(100))).isInstanceOf(ValidationException.class);
    assertThat(TenantContext.current()).isEmpty();
  }
}
