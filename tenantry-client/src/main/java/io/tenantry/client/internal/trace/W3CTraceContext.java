package io.tenantry.client.internal.trace;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.tenantry.api.Traceparent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads W3C trace context (https://www.w3.org/TR/trace-context/) as its test suite expects: a {@code traceparent}
 * (one header; optional whitespace around it) of version 00 exactly, or of a later version (not ff) with possibly
 * more fields after a dash; lower-case hex, ids not all zero. A {@code tracestate} spread over several headers is
 * combined in order; one that is invalid anywhere (bad key or value, a key twice, more than 32 members) is
 * discarded whole, keeping the traceparent. Stateless.
 */
public final class W3CTraceContext {
  static final int MAX_MEMBERS = 32;
  /** Longer headers are not parsed at all (32 members of at most 256 + 256 + 1 characters, with separators). */
  static final int MAX_TRACESTATE_LENGTH = 32 * 520;

  private W3CTraceContext() {}

  /**
   * The remote parent of {@code traceparents} (every traceparent header: more than one is invalid) with the
   * state of {@code tracestates} (every tracestate header, may be empty), or null if there is no valid parent.
   */
  public static SpanContext extract(List<String> traceparents, List<String> tracestates) {
    if (traceparents == null || traceparents.size() != 1) {
      return null;
    }
    Traceparent parent = Traceparent.parse(traceparents.get(0));
    return parent == null ? null : SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
        TraceFlags.fromByte((byte) parent.flags()), traceState(tracestates));
  }

  /** The combined state of every tracestate header, or the empty state if any member is invalid. */
  static TraceState traceState(List<String> headers) {
    if (headers == null || headers.isEmpty()) {
      return TraceState.getDefault();
    }
    String joined = headers.size() == 1 ? headers.get(0) : String.join(",", headers);
    if (joined.length() > MAX_TRACESTATE_LENGTH) {
      return TraceState.getDefault();
    }
    TraceStateBuilder b = TraceState.builder();
    // TraceState.builder() puts each new key first; the members are added last to first to keep their order.
    String[] members = joined.split(",", -1);
    Set<String> keys = new HashSet<>();
    int count = 0;
    String[][] parsed = new String[members.length][];
    for (int i = 0; i < members.length; i++) {
      String m = Traceparent.trimOws(members[i]);
      if (m.isEmpty()) {
        continue; // empty members are allowed and ignored
      }
      int eq = m.indexOf('=');
      if (eq <= 0 || ++count > MAX_MEMBERS) {
        return TraceState.getDefault();
      }
      String key = m.substring(0, eq);
      String value = m.substring(eq + 1);
      if (!validKey(key) || !validValue(value) || !keys.add(key)) {
        return TraceState.getDefault();
      }
      parsed[i] = new String[] {key, value};
    }
    for (int i = parsed.length - 1; i >= 0; i--) {
      if (parsed[i] != null) {
        b.put(parsed[i][0], parsed[i][1]);
      }
    }
    return b.build();
  }

  /** {@code key = simple-key / multi-tenant-key}: lcalpha (lcalpha / DIGIT / "_" / "-"/ "*" / "/"), with a vendor. */
  static boolean validKey(String key) {
    int at = key.indexOf('@');
    if (at < 0) {
      return key.length() <= 256 && keyPart(key, true);
    }
    String tenant = key.substring(0, at);
    String vendor = key.substring(at + 1);
    return tenant.length() >= 1 && tenant.length() <= 241 && vendor.length() >= 1 && vendor.length() <= 14
        && keyPart(tenant, false) && keyPart(vendor, true);
  }

  private static boolean keyPart(String s, boolean alphaFirst) {
    if (s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    if (!(first >= 'a' && first <= 'z' || !alphaFirst && first >= '0' && first <= '9')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '*' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** {@code value = 0*255(chr) nblk-chr}: printable ASCII but ',' and '=', not ending in a space. */
  static boolean validValue(String value) {
    if (value.isEmpty() || value.length() > 256 || value.charAt(value.length() - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return true;
  }
}
