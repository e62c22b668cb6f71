package io.tenantry.api;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every name, id and bounded field of the wire model obeys, in one place so that the
 * server and the SDK reject exactly the same input. Each check throws {@link ValidationException}
 * naming the field, the value (shortened) and what was expected.
 */
public final class Names {
  /** Namespaces, services, tenants, tiers, zones: a DNS label (RFC 1123), lower case. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  /** Instance ids, key ids: letters, digits and {@code . _ : -}, up to 128 characters. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  /** Versions: {@code v2}, {@code 1.4.0-rc.1+build.5}. */
  public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  /** Host names and IP literals (v4 or v6 without brackets). */
  public static final Pattern HOST = Pattern.compile("[A-Za-z0-9:][A-Za-z0-9.:%-]{0,252}");
  /** Label keys: a DNS-ish prefix and a name, like {@code app.kubernetes.io/name}. */
  public static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

  public static final int MAX_LABELS = 32;
  public static final int MAX_LABEL_VALUE = 255;
  public static final int MAX_DESCRIPTION = 1024;
  public static final int MAX_WEIGHT = 10_000;

  private Names() {}

  public static String name(String field, String value) {
    if (value != null && isName(value)) { // the per-request path: a character loop, no regex engine
      return value;
    }
    return matching(field, value, NAME, "a lower-case DNS label: [a-z0-9-], 1 to 63 characters");
  }

  public static String id(String field, String value) {
    if (value != null && isId(value)) {
      return value;
    }
    return matching(field, value, ID, "1 to 128 of [A-Za-z0-9._:-], starting with a letter or digit");
  }

  /** True if {@code value} matches {@link #NAME}, checked without a regular expression. */
  public static boolean isName(String value) {
    int n = value.length();
    if (n == 0 || n > 63 || value.charAt(0) == '-' || value.charAt(n - 1) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code value} matches {@link #ID}, checked without a regular expression. */
  public static boolean isId(String value) {
    int n = value.length();
    if (n == 0 || n > 128 || !alnum(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = value.charAt(i);
      if (!(alnum(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean alnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  public static String version(String field, String value) {
    return matching(field, value, VERSION, "1 to 64 of [A-Za-z0-9._+-]");
  }

  public static String host(String field, String value) {
    return matching(field, value, HOST, "a host name or IP address, up to 253 characters");
  }

  public static int port(String field, int value) {
    if (value < 1 || value > 65_535) {
      throw new ValidationException(field, value + " (expected: 1..65535)");
    }
    return value;
  }

  public static int weight(String field, int value) {
    if (value < 0 || value > MAX_WEIGHT) {
      throw new ValidationException(field, value + " (expected: 0.." + MAX_WEIGHT + ")");
    }
    return value;
  }

  public static String text(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new ValidationException(field, value.length() + " characters (expected: at most " + max + ")");
    }
    return value == null ? "" : value;
  }

  /** Checks a label map and returns an immutable copy (empty if null). */
  public static Map<String, String> labels(String field, Map<String, String> labels) {
    if (labels == null) {
      return Map.of();
    }
    if (labels.size() > MAX_LABELS) {
      throw new ValidationException(field, labels.size() + " labels (expected: at most " + MAX_LABELS + ")");
    }
    labels.forEach((k, v) -> {
      matching(field + " key", k, LABEL_KEY, "1 to 63 of [A-Za-z0-9._/-]");
      if (v == null) {
        throw new ValidationException(field + "." + k, "null (expected: a string)");
      }
      text(field + "." + k, v, MAX_LABEL_VALUE);
    });
    return Map.copyOf(labels);
  }

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw new ValidationException(field, "missing (expected: a value)");
    }
    return value;
  }

  private static String matching(String field, String value, Pattern pattern, String expected) {
    if (value == null) {
      throw new ValidationException(field, "missing (expected: " + expected + ")");
    }
    if (!pattern.matcher(value).matches()) {
      throw new ValidationException(field, "'" + shorten(value) + "' (expected: " + expected + ")");
    }
    return value;
  }

  /** Keeps hostile or huge values out of error messages and logs. */
  public static String shorten(String value) {
    String s = value.length() > 64 ? value.substring(0, 64) + "…" : value;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
