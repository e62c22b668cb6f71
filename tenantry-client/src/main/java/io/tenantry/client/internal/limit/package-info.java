/**
 * Rate limits and quotas at the governed service's door: {@code rate-limit} and {@code quota} policies
 * compiled into token buckets (Bucket4j), counted per service, tenant, tier or caller, locally (each
 * instance its share) or cluster-wide (Redis), with a local fallback when the cluster backend is down.
 * Entry points: {@link io.tenantry.client.internal.limit.DoorLimiter} (live, reconfigured from policies)
 * and {@link io.tenantry.client.internal.limit.DoorLimits} (one compiled, immutable configuration).
 */
package io.tenantry.client.internal.limit;
