/**
 * The Tenantry SDK's public API: {@link io.tenantry.client.TenantryClient} (registration, discovery,
 * tenants), {@link io.tenantry.client.GovernedHttpClient} (calls by service name with tenant-aware
 * routing, retries and failover), {@link io.tenantry.client.TenantContext} and the inbound adapters
 * {@link io.tenantry.client.TenantryHttpFilter} and {@link io.tenantry.client.TenantryServletFilter}.
 * Nothing here names a type of {@code io.tenantry.client.internal}, which is not API.
 */
package io.tenantry.client;
