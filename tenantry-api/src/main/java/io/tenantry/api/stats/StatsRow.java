package io.tenantry.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the stats API: a service for one tenant, or for all its calls ({@code tenant} null), from both
 * sides; or, asked {@code by=instance}, what one instance of it served. Immutable.
 *
 * @param instance the instance a row {@code by=instance} is of (absent otherwise)
 * @param served   what the service's instances (the instance) reported they served (their doors)
 * @param called   what the services calling it reported their calls got (empty in a row of one instance:
 *                 callers do not report which instance answered)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatsRow(String service, String tenant, @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
    Red served, Red called) {}
