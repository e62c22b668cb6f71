package io.tenantry.api.policy;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validations policy specs share; each throws {@link ValidationException} naming the field. */
final class Checks {
  /** At most this many entries in any list or map of a policy: a policy is read on every SDK, keep it small. */
  static final int MAX_ENTRIES = 256;

  private Checks() {}

  static int range(String field, Integer value, int fallback, int min, int max) {
    int v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw new ValidationException(field, v + " (expected: " + min + " to " + max + ")");
    }
    return v;
  }

  static long range(String field, Long value, long fallback, long min, long max) {
    long v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw new ValidationException(field, v + " (expected: " + min + " to " + max + ")");
    }
    return v;
  }

  /** {@code text} as a duration within bounds, or {@code fallback} (already formatted) when absent. */
  static String duration(String field, String text, String fallback, Duration min, Duration max) {
    if (text == null) {
      return fallback;
    }
    DurationText.parse(field, text, min, max);
    return text;
  }

  /** An immutable copy of a list of DNS-label names, empty if null. */
  static List<String> names(String field, List<String> values) {
    List<String> v = list(field, values);
    for (int i = 0; i < v.size(); i++) {
      Names.name(field + "[" + i + "]", v.get(i));
    }
    return v;
  }

  static <T> List<T> list(String field, List<T> values) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > MAX_ENTRIES) {
      throw new ValidationException(field, values.size() + " entries (expected: at most " + MAX_ENTRIES + ")");
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new ValidationException(field + "[" + i + "]", "null");
      }
    }
    return List.copyOf(values);
  }

  /** An immutable copy of a map keyed by DNS-label names (tiers, tenants, callers), empty if null. */
  static <V> Map<String, V> byName(String field, Map<String, V> values) {
    if (values == null) {
      return Map.of();
    }
    if (values.size() > MAX_ENTRIES) {
      throw new ValidationException(field, values.size() + " entries (expected: at most " + MAX_ENTRIES + ")");
    }
    for (Map.Entry<String, V> e : values.entrySet()) {
      Names.name(field, e.getKey());
      if (e.getValue() == null) {
        throw new ValidationException(field + "." + e.getKey(), "null");
      }
    }
    return Map.copyOf(values);
  }

  /** Names of the entries of a list must be unique. */
  static void unique(String field, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (names.indexOf(names.get(i)) != i) {
        throw new ValidationException(field + "[" + i + "].name", "'" + names.get(i) + "' is used twice (expected: unique names)");
      }
    }
  }
}
