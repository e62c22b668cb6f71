/**
 * Metrics of the SDK: Micrometer RED meters of outbound calls and of the service's door (tenant tags bounded by
 * {@link io.tenantry.client.internal.metrics.TagValues}), gauges of breakers and ejections, and the compact
 * per-tenant statistics reported to the control plane every interval. Not API.
 */
package io.tenantry.client.internal.metrics;
