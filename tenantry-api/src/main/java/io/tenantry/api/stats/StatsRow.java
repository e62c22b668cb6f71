package io.tenantry.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the stats API: a service for one tenant, or for all its calls ({@code tenant} null), from both
 * sides. Immutable.
 *
 * @param served what the service's instances reported they served (their doors)
 * @param called what the services calling it reported their calls got
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatsRow(String service, String tenant, Red served, Red called) {}
