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
  private int changed; // which keys enter changed (bits 0-2): only those are put back
  private Thread thread; // where the keys were set; null when not set

  /**
   * Sets the keys (a null value removes its key), remembering what they were. A key that already holds its value is
   * left alone: a call inside a request finds the request's tenant (and, unsampled, its ids) there, and writing them
   * again would cost a map entry per call (Logback's MDC allocates one per put of an absent key).
   */
  void enter(String traceId, String spanId, String tenantId) {
    thread = Thread.currentThread();
    trace = MDC.get(TRACE_ID);
    span = MDC.get(SPAN_ID);
    tenant = MDC.get(TENANT_ID);
    changed = set(TRACE_ID, trace, traceId, 1) | set(SPAN_ID, span, spanId, 2) | set(TENANT_ID, tenant, tenantId, 4);
  }

  /** Puts back what {@link #enter} replaced; nothing if it ran on another thread (the MDC is per thread). */
  void exit() {
    if (thread != Thread.currentThread()) {
      thread = null;
      return;
    }
    thread = null;
    int c = changed;
    if (c != 0) {
      restore(c, 1, TRACE_ID, trace);
      restore(c, 2, SPAN_ID, span);
      restore(c, 4, TENANT_ID, tenant);
    }
    trace = span = tenant = null;
    changed = 0;
  }

  private static void restore(int changed, int bit, String key, String value) {
    if ((changed & bit) != 0) {
      put(key, value);
    }
  }

  /** Sets {@code key} from {@code was} to {@code value} if they differ; returns {@code bit} if it did, else 0. */
  private static int set(String key, String was, String value, int bit) {
    if (value == null ? was == null : value.equals(was)) {
      return 0;
    }
    put(key, value);
    return bit;
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
