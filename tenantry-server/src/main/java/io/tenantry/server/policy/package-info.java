/**
 * Policies of the control plane (route, rate-limit, resilience, quota): validated, versioned writes with
 * history and rollback, published on the change feed so that SDKs watching {@code kinds=policy} apply
 * them.
 */
package io.tenantry.server.policy;
