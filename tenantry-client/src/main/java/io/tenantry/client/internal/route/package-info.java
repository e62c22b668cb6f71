/**
 * The routing engine: a {@code route} policy compiled into a {@link io.tenantry.client.internal.route.Router}
 * that narrows a call's candidates to the subset its rule chooses, then to the caller's zone, then picks by
 * tenant affinity with bounded load or leaves the pick to the load balancer. Everything a call needs is
 * worked out when a policy or a candidate list arrives; a call matches a rule and picks without allocating.
 * See {@code docs/POLICIES.md#route}.
 */
package io.tenantry.client.internal.route;
