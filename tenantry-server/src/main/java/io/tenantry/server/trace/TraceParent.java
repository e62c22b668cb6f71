package io.tenantry.server.trace;

import io.tenantry.api.Traceparent;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C trace context as a request carried it ({@code traceparent}, and {@code tracestate} if any): what the
 * coordinator keeps with a transaction so that its phase-two calls join the trace of the request that began it.
 * {@link #parse} reads the traceparent as the SDK does ({@link Traceparent}: a malformed header is no context at
 * all, never an error) and keeps a {@code tracestate} only if it is printable ASCII of at most
 * {@link #MAX_TRACESTATE} characters, so that it can be sent on as a header. Immutable.
 *
 * @param traceId    32 lower-case hex characters, not all zero
 * @param spanId     16 lower-case hex characters, not all zero: the caller's span, parent of what follows
 * @param sampled    the caller's sampling decision (flag {@code 01})
 * @param traceState the {@code tracestate} to pass on, or null
 */
public record TraceParent(String traceId, String spanId, boolean sampled, String traceState) {
  /** The longest {@code tracestate} kept (32 members of the W3C limit fit in it in practice). */
  public static final int MAX_TRACESTATE = 512;

  public TraceParent {
    if (!Traceparent.isId(traceId, 32) || !Traceparent.isId(spanId, 16)) {
      throw new IllegalArgumentException("trace id or span id: not lower-case hex of 32/16 characters, not all zero");
    }
    if (traceState != null && !printable(traceState, MAX_TRACESTATE)) {
      throw new IllegalArgumentException("traceState: (expected: printable ASCII, at most " + MAX_TRACESTATE + ")");
    }
  }

  /** The context of these headers, or null if {@code traceparent} is absent or malformed. */
  public static TraceParent parse(String traceparent, String tracestate) {
    Traceparent p = Traceparent.parse(traceparent);
    if (p == null) {
      return null;
    }
    String state = tracestate == null || tracestate.isBlank() || !printable(tracestate.strip(), MAX_TRACESTATE)
        ? null : tracestate.strip();
    return new TraceParent(p.traceId(), p.spanId(), p.sampled(), state);
  }

  /** The {@code traceparent} header of this context (version 00). */
  public String header() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  /** The same trace and decision with {@code childSpanId} as the parent of what follows. */
  public TraceParent child(String childSpanId) {
    return new TraceParent(traceId, childSpanId, sampled, traceState);
  }

  /** A random span id: 16 lower-case hex characters, not all zero. */
  public static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    String hex = Long.toHexString(id);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static boolean printable(String s, int max) {
    if (s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
