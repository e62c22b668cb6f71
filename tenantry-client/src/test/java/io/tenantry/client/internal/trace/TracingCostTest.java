package io.tenantry.client.internal.trace;

import io.tenantry.client.internal.AllocationMeter;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.RequestHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * What tracing costs a call whose trace is not sampled, measured with the thread's allocation counter once warm
 * (a rough time per call is printed): the span of an attempt under an unsampled parent is the parent itself, so
 * only the MDC's own entries are allocated; an unsampled root costs its two fresh ids.
 */
class TracingCostTest {
  private static final int WARMUP = 200_000;
  private static final int CALLS = 500_000;
  /** The MDC's entries (three HashMap nodes, put back each call) and a margin for the measurement. */
  private static final double MDC_BYTES = 3 * 32 + 16;
  /** A trace id and a span id as strings, the span context and its wrapper. */
  private static final double ROOT_IDS_BYTES = 300;

  private final Tracing tracing = Tracing.create(TraceSettings.DEFAULT.withSampleRatio(0), "shop", "order",
      () -> "order-1", List.of(URI.create("http://127.0.0.1:9")), "key", Duration.ofSeconds(1));
  private final Instance payment = Instance.of("shop", "payment", new InstanceSpec("payment-1", "127.0.0.1", 8080,
      "v1", "zone-a", 100, InstanceStatus.UP, Map.of(), null, 30), 30, 1);

  @AfterEach
  void close() {
    tracing.close();
    MDC.clear();
  }

  private static double bytesPerCall(String name, Runnable call) {
    return AllocationMeter.bytesPerCall(name, WARMUP, CALLS, call);
  }

  @Test
  void attemptUnderAnUnsampledParent_allocatesOnlyTheMdcsEntries() {
    AttemptSpan a = new AttemptSpan();
    SpanContext parent = SpanContext.createFromRemoteParent("463ac35c9f6413ad48485a3953bb6124", "a2fb4a1d1a96d312",
        TraceFlags.getDefault(), TraceState.getDefault());
    try (Scope s = Span.wrap(parent).makeCurrent()) {
      double bytes = bytesPerCall("attempt span, unsampled parent", () -> {
        tracing.start(a, true, "payment", "acme", "GET", "/pay", null, payment, 1);
        tracing.end(a, CallOutcome.SUCCESS, 200, false, false);
      });
      assertThat(bytes).isLessThan(MDC_BYTES);
    }
    assertThat(MDC.get("trace_id")).isNull();
  }

  @Test
  void unsampledRootAttempt_allocatesItsIdsOnly() {
    AttemptSpan a = new AttemptSpan();
    double bytes = bytesPerCall("attempt span, unsampled root", () -> {
      tracing.start(a, true, "payment", "acme", "GET", "/pay", null, payment, 1);
      tracing.end(a, CallOutcome.SUCCESS, 200, false, false);
    });
    assertThat(bytes).isLessThan(ROOT_IDS_BYTES + MDC_BYTES);
  }

  @Test
  void doorWithoutTraceHeaders_costsAnUnsampledRoot() {
    RequestHeaders<Object> none = RequestHeaders.none();
    Object[] last = new Object[1]; // as the door hands an observer its last answer back
    double bytes = bytesPerCall("door span, unsampled root", () -> {
      Object e = tracing.door().entered(this, none, "acme", "GET", "/pay", last[0]);
      tracing.door().exited(e, "acme", "GET", "/pay", 200, 1_000);
      last[0] = e;
    });
    assertThat(bytes).isLessThan(ROOT_IDS_BYTES + MDC_BYTES + 200); // + its scope, context and holder
    assertThat(MDC.get("span_id")).isNull();
  }
}
