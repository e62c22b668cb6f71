package io.tenantry.api;

/**
 * A W3C {@code traceparent} header (https://www.w3.org/TR/trace-context/), read as the trace-context test suite
 * expects, by the SDK (a request's remote parent) and by the control plane (the context a transaction keeps): version
 * 00 exactly 55 characters, a later version (not ff) possibly with more fields after a dash, optional whitespace
 * around it, lower-case hex, ids not all zero. Immutable.
 *
 * @param traceId 32 lower-case hex characters, not all zero
 * @param spanId  16 lower-case hex characters, not all zero
 * @param flags   the trace flags; of a later version only the sampled bit is understood and kept
 */
public record Traceparent(String traceId, String spanId, int flags) {
  /** The length of a version-00 header. */
  public static final int LENGTH = 55;
  /** Longer headers are not read at all (a later version may append fields, but not without bound). */
  public static final int MAX_LENGTH = 512;
  private static final int SAMPLED = 0x01;

  /** The header's context, or null if it is absent or malformed (never an error: a bad header is no context). */
  public static Traceparent parse(String header) {
    if (header == null || header.length() > MAX_LENGTH) {
      return null;
    }
    String tp = trimOws(header);
    if (tp.length() < LENGTH || !hex(tp, 0, 2) || tp.charAt(2) != '-' || !hex(tp, 3, 35) || tp.charAt(35) != '-'
        || !hex(tp, 36, 52) || tp.charAt(52) != '-' || !hex(tp, 53, 55)) {
      return null;
    }
    String version = tp.substring(0, 2);
    if (version.equals("ff")) {
      return null;
    }
    if (version.equals("00") ? tp.length() != LENGTH : tp.length() > LENGTH && tp.charAt(LENGTH) != '-') {
      return null;
    }
    String traceId = tp.substring(3, 35);
    String spanId = tp.substring(36, 52);
    if (zeros(traceId) || zeros(spanId)) {
      return null;
    }
    int flags = Integer.parseInt(tp, 53, 55, 16);
    return new Traceparent(traceId, spanId, version.equals("00") ? flags : flags & SAMPLED);
  }

  /** True if {@code id} is {@code length} lower-case hex characters, not all zero: a valid trace or span id. */
  public static boolean isId(String id, int length) {
    return id != null && id.length() == length && hex(id, 0, length) && !zeros(id);
  }

  public boolean sampled() {
    return (flags & SAMPLED) != 0;
  }

  /** {@code s} without the optional whitespace (spaces, tabs) HTTP allows around a header value or a list member. */
  public static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
