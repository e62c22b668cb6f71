package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void nestedCalls_restoreTheirCallersKeys_andANullLeavesItsKeyAlone() {
    MDC.put("tenant_id", "outer-tenant");
    LogContext outer = new LogContext();
    LogContext inner = new LogContext();
    outer.enter("t1", "s1", "acme");
    inner.enter("t1", "s2", null);
    assertThat(MDC.get("span_id")).isEqualTo("s2");
    assertThat(MDC.get("tenant_id")).isEqualTo("acme"); // the inner call works for its caller's tenant
    inner.exit();
    assertThat(MDC.get("trace_id")).isEqualTo("t1");
    assertThat(MDC.get("span_id")).isEqualTo("s1");
    assertThat(MDC.get("tenant_id")).isEqualTo("acme");
    outer.exit();
    assertThat(MDC.get("trace_id")).isNull();
    assertThat(MDC.get("span_id")).isNull();
    assertThat(MDC.get("tenant_id")).isEqualTo("outer-tenant");
  }

  @Test
  void exitOnAnotherThread_leavesThatThreadsMdcAlone() throws Exception {
    LogContext c = new LogContext();
    c.enter("t1", "s1", "acme");
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
    Thread other = new Thread(() -> {
      MDC.put("trace_id", "theirs");
      c.exit();
      seen.set(MDC.get("trace_id"));
    });
    other.start();
    other.join();
    assertThat(seen.get()).isEqualTo("theirs");
    assertThat(MDC.get("trace_id")).isEqualTo("t1");
  }
}
