package io.tenantry.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.util.List;

/**
 * What an SDK posts to {@code POST /api/v1/namespaces/{ns}/stats} every interval: what its service's door
 * served per tenant, and what its outbound calls got per called service and tenant. The control plane counts
 * it in the time slot it arrives in. A large interval is sent as several reports of at most
 * {@link #MAX_ENTRIES} entries. Immutable; validated on construction.
 *
 * @param service  the reporting service (required when {@code served} is not empty)
 * @param instance the reporting instance, for the log; optional
 * @param served   one entry per tenant, {@code service} null
 * @param called   one entry per called service and tenant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatsReport(String service, String instance, List<StatsEntry> served, List<StatsEntry> called) {
  /** Most entries (served and called together) in one report: keeps it far under the API's 64 KiB. */
  public static final int MAX_ENTRIES = 200;

  public StatsReport {
    if (service != null) {
      Names.name("service", service);
    }
    if (instance != null) {
      Names.id("instance", instance);
    }
    served = entries("served", served);
    called = entries("called", called);
    if (served.size() + called.size() > MAX_ENTRIES) {
      throw new ValidationException("served", served.size() + called.size() + " entries (expected: at most "
          + MAX_ENTRIES + " in served and called together)");
    }
    if (!served.isEmpty() && service == null) {
      throw new ValidationException("service", "missing (expected: the reporting service, with served entries)");
    }
    for (StatsEntry e : served) {
      if (e.service() != null) {
        throw new ValidationException("served[].service", "'" + e.service() + "' (expected: none; served entries"
            + " are the reporting service's)");
      }
    }
    for (StatsEntry e : called) {
      Names.required("called[].service", e.service());
    }
  }

  private static List<StatsEntry> entries(String field, List<StatsEntry> list) {
    if (list == null) {
      return List.of();
    }
    for (StatsEntry e : list) {
      Names.required(field + "[]", e);
    }
    return List.copyOf(list);
  }
}
