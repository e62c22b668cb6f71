package io.tenantry.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;

/**
 * What one side of a service did for one tenant over one report interval. Immutable; validated on
 * construction (so a hostile report fails as a 400 naming the field).
 *
 * @param service    for a called entry, the service called; null for a served entry (the reporter's own)
 * @param tenant     the tenant, null for calls without one, or {@link #OTHER} for the tenants past the report's cap
 * @param calls      calls (served: every request at the door, refused ones included; called: calls made)
 * @param errors     calls that failed (served: 5xx or the handler threw; called: the last attempt failed)
 * @param rejections calls refused (served: at the door, 429 and 503; called: attempts the callee answered 429)
 * @param retries    attempts after the first (called only; 0 when served)
 * @param latency    counts per {@link LatencyBuckets} bucket: handler latencies served, attempt latencies called
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatsEntry(String service, String tenant, long calls, long errors, long rejections, long retries,
    long[] latency) {
  /** The tenant of the calls past a report's per-tenant cap (not a valid tenant id, so never a real one). */
  public static final String OTHER = "_other";
  /** Largest count of one field: a day of a million calls a second, far above any honest interval. */
  public static final long MAX_COUNT = 1L << 40;

  public StatsEntry {
    if (service != null) {
      Names.name("service", service);
    }
    if (tenant != null && !OTHER.equals(tenant)) {
      Names.name("tenant", tenant);
    }
    count("calls", calls);
    count("errors", errors);
    count("rejections", rejections);
    count("retries", retries);
    if (errors > calls || rejections > calls) {
      throw new ValidationException("calls", calls + " (expected: at least errors " + errors + " and rejections "
          + rejections + ")");
    }
    Names.required("latency", latency);
    if (latency.length != LatencyBuckets.COUNT) {
      throw new ValidationException("latency", latency.length + " buckets (expected: " + LatencyBuckets.COUNT + ")");
    }
    for (long c : latency) {
      count("latency[]", c);
    }
    latency = latency.clone();
  }

  @Override
  public long[] latency() {
    return latency.clone();
  }

  /** Bucket {@code i} of the latency histogram, without a copy. */
  public long latency(int i) {
    return latency[i];
  }

  private static void count(String field, long value) {
    if (value < 0 || value > MAX_COUNT) {
      throw new ValidationException(field, value + " (expected: 0.." + MAX_COUNT + ")");
    }
  }
}
