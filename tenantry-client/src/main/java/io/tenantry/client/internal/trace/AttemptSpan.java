package io.tenantry.client.internal.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/**
 * The span of a governed call's current attempt, with the MDC it set. Owned by one call object and reused from
 * attempt to attempt and call to call (a call object is reused by its thread), so tracing an attempt allocates
 * nothing of its own. Not thread-safe.
 */
public final class AttemptSpan {
  Span span; // null between attempts
  Context parent; // the context the call began in: every attempt is its child
  final LogContext log = new LogContext();

  /** The attempt's span context (invalid between attempts or without tracing). */
  public SpanContext context() {
    Span s = span;
    return s == null ? SpanContext.getInvalid() : s.getSpanContext();
  }

  /** The baggage the call carries from where it began (e.g. its inbound request), as a header, or null. */
  public String baggage() {
    return parent == null ? null : Propagation.baggage(parent);
  }
}
