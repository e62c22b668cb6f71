package io.tenantry.client.internal.trace;

import org.slf4j.MDC;

/**
 * The SLF4J MDC keys of a call ({@code trace_id}, {@code span_id}, {@code tenant_id}): set for the call's duration
 * and the values they replaced put back after, so that nested calls restore their caller's. One per call in
 * progress, on the call's thread. Not thread-safe.
 */
final class LogContext {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String TENANT_ID = "tenant_id";

  private String trace;
  private String span;
  private String tenant;
  private Thread thread; // where the keys were set; null when not set

  /** Sets the keys (a null value removes its key), remembering what they were. */
  void enter(String traceId, String spanId, String tenantId) {
    trace = MDC.get(TRACE_ID);
    span = MDC.get(SPAN_ID);
    tenant = MDC.get(TENANT_ID);
    thread = Thread.currentThread();
    set(TRACE_ID, traceId);
    set(SPAN_ID, spanId);
    set(TENANT_ID, tenantId);
  }

  /** Puts back what {@link #enter} replaced; nothing if it ran on another thread (the MDC is per thread). */
  void exit() {
    if (thread != Thread.currentThread()) {
      thread = null;
      return;
    }
    thread = null;
    set(TRACE_ID, trace);
    set(SPAN_ID, span);
    set(TENANT_ID, tenant);
    trace = span = tenant = null;
  }

  private static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
