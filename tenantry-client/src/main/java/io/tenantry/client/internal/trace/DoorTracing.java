package io.tenantry.client.internal.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tenantry.api.Headers;
import io.tenantry.client.RequestHeaders;
import io.tenantry.client.internal.DoorObserver;
import java.util.List;
import java.util.Locale;

/**
 * The SERVER span of every request at a client's door: its parent is the trace context the request arrived with
 * ({@link Propagation}), it is current (with the request's baggage) while the handler runs, and the MDC holds its
 * ids as long (the tenant's key is set by the adapter's {@code TenantContext}). The caller ({@code X-Tenantry-Caller}) is the span's remote service. A refused
 * request gets a span too when its trace is sampled (a root: the door tells no headers of a refusal).
 * Thread-safe.
 */
final class DoorTracing implements DoorObserver {
  static final AttributeKey<String> REFUSAL = AttributeKey.stringKey("tenantry.refusal");
  private final Tracing tracing;

  DoorTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * What exited gets back: the span, its scope and the MDC it replaced. The door hands the last one back for the
   * thread's next request (a request entered within another gets its own), so that entering allocates nothing.
   */
  private static final class Entered {
    Span span;
    Scope scope;
    boolean inside; // between entered and exited: not to be reused
    final LogContext log = new LogContext();
  }

  @Override
  public <R> Object entered(R request, RequestHeaders<? super R> headers, String tenant, String method, String path,
      Object previous) {
    Context parent = carriesContext(request, headers) ? Propagation.extract(name -> {
      String v = name.equals("baggage") ? headers.baggage(request) : headers.header(request, name);
      return v == null ? List.of() : List.of(v);
    }) : Context.root();
    Span span = tracing.startSpan(method, parent, SpanKind.SERVER, tracing.service, tenant);
    if (span.isRecording()) {
      tagInstance(span);
      span.setAttribute(Tracing.METHOD, method);
      span.setAttribute(Tracing.PATH, path);
      String caller = headers.header(request, Headers.CALLER.toLowerCase(Locale.ROOT));
      if (caller != null && caller.length() <= 63 && caller.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
        span.setAttribute(ZipkinJson.PEER_SERVICE, caller);
      }
    }
    SpanContext c = span.getSpanContext();
    Entered e = previous instanceof Entered p && !p.inside ? p : new Entered();
    e.inside = true;
    e.span = span;
    // nothing to make current without a trace or baggage: leaves the context as it was, and allocates no scope
    e.scope = c.isValid() || parent != Context.root() ? parent.with(span).makeCurrent() : Scope.noop();
    e.log.enter(c.isValid() ? c.getTraceId() : null, c.isValid() ? c.getSpanId() : null, null); // tenant: TenantContext
    return e;
  }

  /** Whether the request has any header that {@link Propagation#extract} reads (most have one; checked cheaply). */
  private static <R> boolean carriesContext(R request, RequestHeaders<? super R> headers) {
    return headers.header(request, Propagation.TRACEPARENT) != null || headers.header(request, "b3") != null
        || headers.header(request, "x-b3-traceid") != null || headers.baggage(request) != null;
  }

  @Override
  public void exited(Object entered, String tenant, String method, String path, int status, long nanos) {
    if (!(entered instanceof Entered e)) {
      return;
    }
    Span span = e.span;
    if (span.isRecording()) {
      if (status > 0) {
        span.setAttribute(Tracing.STATUS, (long) status);
      }
      span.setAttribute(Tracing.OUTCOME, status == 0 ? "exception" : status >= 500 ? "http_error" : "success");
      if (status == 0 || status >= 500) {
        span.setStatus(StatusCode.ERROR, status == 0 ? "no answer (the handler threw)" : Integer.toString(status));
      }
    }
    span.end();
    e.scope.close();
    e.log.exit();
    e.span = null;
    e.scope = null;
    e.inside = false;
  }

  @Override
  public void refused(String tenant, String method, String path, int status, String type) {
    Span span = tracing.startSpan(method, Context.root(), SpanKind.SERVER, tracing.service, tenant);
    if (span.isRecording()) {
      tagInstance(span);
      span.setAttribute(Tracing.METHOD, method);
      span.setAttribute(Tracing.PATH, path);
      span.setAttribute(Tracing.STATUS, (long) status);
      span.setAttribute(Tracing.OUTCOME, "refused");
      span.setAttribute(REFUSAL, type);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR, type);
      }
      span.end();
    }
  }

  /** This process's instance id, on every SERVER span, admitted or refused. */
  private void tagInstance(Span span) {
    String instance = tracing.instance == null ? null : tracing.instance.get();
    if (instance != null) {
      span.setAttribute(Tracing.INSTANCE, instance);
    }
  }
}
