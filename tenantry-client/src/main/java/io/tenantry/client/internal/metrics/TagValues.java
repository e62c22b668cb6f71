package io.tenantry.client.internal.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The values one tag may take, bounded: the first {@code limit} valid values seen are kept as they are, every
 * later or invalid one becomes {@link #OTHER}, and none (null) becomes {@link #NONE}. This bounds the series a
 * tenant tag makes: a SaaS with 100,000 tenants exports at most {@code limit + 2} tenant values. A value once
 * kept stays kept (its meters count from the start). Thread-safe; a known value is a lock-free lookup.
 */
public final class TagValues {
  /** The value of the values past the limit, or invalid (not a valid tenant id or name, so never a real one). */
  public static final String OTHER = "_other";
  /** The value of calls without one (no tenant). */
  public static final String NONE = "_none";

  private final int limit;
  private final Predicate<String> valid;
  private final ConcurrentHashMap<String, String> kept = new ConcurrentHashMap<>();
  private volatile boolean full;

  public TagValues(int limit, Predicate<String> valid) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
    }
    this.limit = limit;
    this.valid = valid;
  }

  /** The tag value of {@code value}: itself if kept, else {@link #OTHER}; {@link #NONE} for null. */
  public String of(String value) {
    if (value == null) {
      return NONE;
    }
    String v = kept.get(value);
    if (v != null) {
      return v;
    }
    return full ? OTHER : keep(value);
  }

  /** How many values are kept. */
  public int size() {
    return kept.size();
  }

  private synchronized String keep(String value) {
    String v = kept.get(value);
    if (v != null) {
      return v;
    }
    if (kept.size() >= limit) {
      full = true;
      return OTHER;
    }
    if (!valid.test(value)) {
      return OTHER;
    }
    kept.put(value, value);
    return value;
  }
}
