package io.tenantry.client.internal.trace;

import io.tenantry.client.internal.TenantSlot;
import org.slf4j.MDC;

/**
 * The SLF4J MDC keys of a call ({@code trace_id}, {@code span_id}, {@code tenant_id}): set for the call's duration
 * and the values they replaced put back after, so that nested calls restore their caller's. The tenant's key
 * follows the {@code TenantContext} (see there); a call sets it only when it works for another tenant. One per call
 * in progress, on the call's thread. Not thread-safe.
 */
final class LogContext {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String TENANT_ID = TenantSlot.MDC_TENANT;

  private String trace;
  private String span;
  private String tenant;
  private int changed; // which keys enter changed (bits 0-2): only those are put back
  private Thread thread; // where the keys were set; null when not set

  /**
   * Sets each key whose value is not null, remembering what it held; a null value leaves its key alone (the keys
   * already hold what the call would set: the ids of the context it passes through, the current tenant). A key that
   * holds its value already is not written again (Logback's MDC allocates an entry per put of an absent key).
   */
  void enter(String traceId, String spanId, String tenantId) {
    thread = Thread.currentThread();
    int c = 0;
    if (traceId != null) {
      trace = MDC.get(TRACE_ID);
      c |= set(TRACE_ID, trace, traceId, 1);
    }
    if (spanId != null) {
      span = MDC.get(SPAN_ID);
      c |= set(SPAN_ID, span, spanId, 2);
    }
    if (tenantId != null) {
      tenant = MDC.get(TENANT_ID);
      c |= set(TENANT_ID, tenant, tenantId, 4);
    }
    changed = c;
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
      TenantSlot.putMdc(key, value);
    }
  }

  /** Sets {@code key} from {@code was} to {@code value} if they differ; returns {@code bit} if it did, else 0. */
  private static int set(String key, String was, String value, int bit) {
    if (value.equals(was)) {
      return 0;
    }
    TenantSlot.putMdc(key, value);
    return bit;
  }
}
