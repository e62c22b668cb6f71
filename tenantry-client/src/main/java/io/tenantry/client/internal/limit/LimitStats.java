package io.tenantry.client.internal.limit;

/**
 * Counters of one limit or quota since it was first compiled (they survive reconfiguration).
 *
 * @param kind        {@code rate-limit} or {@code quota}
 * @param policy      the policy's name
 * @param limit       the limit's or quota's name
 * @param dryRun      true if the policy is in dry-run (its refusals are only counted)
 * @param admitted    calls it counted and admitted
 * @param refused     calls it refused (429)
 * @param wouldRefuse calls a dry-run policy would have refused
 * @param fallbacks   calls of a cluster-mode limit decided on the local share because the backend was down
 */
public record LimitStats(String kind, String policy, String limit, boolean dryRun, long admitted, long refused,
    long wouldRefuse, long fallbacks) {}
