package io.tenantry.server.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C trace context as a request carried it ({@code traceparent}, and {@code tracestate} if any): what the
 * coordinator keeps with a transaction so that its phase-two calls join the trace of the request that began it.
 * {@link #parse} is strict about the ids (a malformed header is no context at all, never an error) and keeps a
 * {@code tracestate} only if it is printable ASCII of at most {@link #MAX_TRACESTATE} characters, so that it can be
 * sent on as a header. Immutable.
 *
 * @param traceId    32 lower-case hex characters, not all zero
 * @param spanId     16 lower-case hex characters, not all zero: the caller's span, parent of what follows
 * @param sampled    the caller's sampling decision (flag {@code 01})
 * @param traceState the {@code tracestate} to pass on, or null
 */
public record TraceParent(String traceId, String spanId, boolean sampled, String traceState) {
  /** The longest {@code traceparent} read (a later version may append fields). */
  public static final int MAX_TRACEPARENT = 512;
  /** The longest {@code tracestate} kept (32 members of the W3C limit fit in it in practice). */
  public static final int MAX_TRACESTATE = 512;
  private static final int VERSION_00_LENGTH = 55;

  public TraceParent {
    if (!hex(traceId, 32) || !hex(spanId, 16)) {
      throw new IllegalArgumentException("trace id or span id: not lower-case hex of 32/16 characters, not all zero");
    }
    if (traceState != null && !printable(traceState, MAX_TRACESTATE)) {
      throw new IllegalArgumentException("traceState: (expected: printable ASCII, at most " + MAX_TRACESTATE + ")");
    }
  }

  /** The context of these headers, or null if {@code traceparent} is absent or malformed. */
  public static TraceParent parse(String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    String t = traceparent.strip();
    if (t.length() < VERSION_00_LENGTH || t.length() > MAX_TRACEPARENT || t.charAt(2) != '-' || t.charAt(35) != '-'
        || t.charAt(52) != '-') {
      return null;
    }
    String version = t.substring(0, 2);
    if (!hexChars(version) || version.equals("ff")
        || (version.equals("00") ? t.length() != VERSION_00_LENGTH : t.length() > VERSION_00_LENGTH && t.charAt(55) != '-')) {
      return null;
    }
    String traceId = t.substring(3, 35);
    String spanId = t.substring(36, 52);
    String flags = t.substring(53, 55);
    if (!hex(traceId, 32) || !hex(spanId, 16) || !hexChars(flags)) {
      return null;
    }
    String state = tracestate == null || tracestate.isBlank() || !printable(tracestate.strip(), MAX_TRACESTATE)
        ? null : tracestate.strip();
    return new TraceParent(traceId, spanId, (Integer.parseInt(flags, 16) & 1) == 1, state);
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

  private static boolean hex(String s, int length) {
    return s != null && s.length() == length && hexChars(s) && !s.chars().allMatch(c -> c == '0');
  }

  private static boolean hexChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
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
