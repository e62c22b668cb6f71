package io.tenantry.client.internal;

import io.tenantry.api.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the tenant in a W3C {@code baggage} header
 * (https://www.w3.org/TR/baggage/): {@code key=value;prop, key2=value2}. Hostile input is bounded:
 * headers longer than {@link #MAX_LENGTH} characters are not parsed, at most {@link #MAX_MEMBERS}
 * members are kept, and malformed members are skipped (the specification's advice) rather than failing
 * the request. Stateless and thread-safe.
 */
public final class Baggage {
  /** W3C: a platform must propagate at least 8192 bytes; we read no more. */
  public static final int MAX_LENGTH = 8192;
  /** W3C: at least 64 list-members must be propagated; we keep up to 180 as the spec's upper example. */
  public static final int MAX_MEMBERS = 180;

  private Baggage() {}

  /**
   * The raw (percent-decoded) value of {@code tenant.id} in {@code header}, or null if the header is
   * null, too long, or has no well-formed tenant.id member. The value is not validated here.
   */
  public static String tenant(String header) {
    if (header == null || header.length() > MAX_LENGTH) {
      return null;
    }
    int members = 0;
    for (String member : header.split(",", MAX_MEMBERS + 1)) {
      if (++members > MAX_MEMBERS) {
        return null;
      }
      int eq = member.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      if (!member.substring(0, eq).trim().equals(Headers.BAGGAGE_TENANT)) {
        continue;
      }
      int semi = member.indexOf(';', eq);
      String value = (semi < 0 ? member.substring(eq + 1) : member.substring(eq + 1, semi)).trim();
      return decode(value);
    }
    return null;
  }

  /**
   * {@code existing} with its {@code tenant.id} members replaced by {@code tenant.id=<tenant>}, which
   * comes first so that it survives truncation. Other members are kept in order while the result stays
   * within {@link #MAX_LENGTH} characters and {@link #MAX_MEMBERS} members; blank members are dropped.
   * {@code tenant} must be a validated name (it needs no encoding).
   */
  public static String merge(String existing, String tenant) {
    StringBuilder b = new StringBuilder(64).append(Headers.BAGGAGE_TENANT).append('=').append(tenant);
    if (existing == null || existing.isBlank()) {
      return b.toString();
    }
    int members = 1;
    for (String member : existing.split(",", MAX_MEMBERS + 1)) {
      String m = member.trim();
      if (m.isEmpty() || isTenantMember(m)) {
        continue;
      }
      if (members >= MAX_MEMBERS || b.length() + 1 + m.length() > MAX_LENGTH || hasControl(m)) {
        break;
      }
      b.append(',').append(m);
      members++;
    }
    return b.toString();
  }

  /** All members' keys, in order, for tests and diagnostics. */
  static List<String> keys(String header) {
    List<String> keys = new ArrayList<>();
    for (String member : header.split(",")) {
      int eq = member.indexOf('=');
      if (eq > 0) {
        keys.add(member.substring(0, eq).trim());
      }
    }
    return keys;
  }

  private static boolean isTenantMember(String member) {
    int eq = member.indexOf('=');
    return eq > 0 && member.substring(0, eq).trim().equals(Headers.BAGGAGE_TENANT);
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value; // malformed escape: keep it raw, validation will refuse it
    }
  }
}
