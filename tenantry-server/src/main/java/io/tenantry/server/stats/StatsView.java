package io.tenantry.server.stats;

import java.time.Duration;
import java.util.Set;

/**
 * What the SDKs of a namespace reported about the calls their services served, read over a sliding window:
 * the source of the per-tenant RED figures of the API and of the alert rules. Thread-safe.
 */
public interface StatsView {
  /**
   * The calls {@code service} served (its inbound side, summed over its instances) in the last {@code window}.
   *
   * @param tenant one tenant's calls, or null for every call (with or without a tenant)
   */
  StatsTotals served(String namespace, String service, String tenant, Duration window);

  /**
   * The calls one instance of {@code service} served in the last {@code window}, as its own reports counted them.
   *
   * @param instance the reporting instance's id, or null for all instances together (as {@link #served})
   * @param tenant   one tenant's calls, or null for every call
   */
  StatsTotals servedBy(String namespace, String service, String instance, String tenant, Duration window);

  /** The services with calls reported in the last {@code window}. */
  Set<String> services(String namespace, Duration window);

  /** The tenants with calls reported for {@code service} in the last {@code window}. */
  Set<String> tenants(String namespace, String service, Duration window);

  /** The instances of {@code service} that reported calls they served in the last {@code window}. */
  Set<String> instances(String namespace, String service, Duration window);
}
