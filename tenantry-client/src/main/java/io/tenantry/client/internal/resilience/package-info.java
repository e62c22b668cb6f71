/**
 * The resilience engine of the SDK, built from {@code resilience} policies: on the calling side a
 * {@link io.tenantry.client.internal.resilience.ServiceResilience} per called service (timeout, retries under a
 * {@link io.tenantry.client.internal.resilience.RetryBudget}, a circuit breaker, outlier ejection of instances),
 * kept by {@link io.tenantry.client.internal.resilience.CallerResilience}; on the serving side
 * {@link io.tenantry.client.internal.resilience.InboundResilience} (a per-tenant bulkhead and an optional adaptive
 * concurrency limit). Configuration is compiled into immutable objects when a policy arrives; the state that must
 * outlive a policy change (budget windows, breaker state, ejections, in-progress counts) lives in long-lived
 * objects that a new configuration reuses. Not API.
 */
package io.tenantry.client.internal.resilience;
