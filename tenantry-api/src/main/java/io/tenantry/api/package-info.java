/**
 * The wire model shared by the Tenantry control plane and its SDK.
 *
 * <p>Every type here is an immutable value that validates itself on construction, so a malformed
 * object can never be built on either side of the wire. Field rules live in {@link io.tenantry.api.Names};
 * JSON mapping in {@link io.tenantry.api.Json}; paths and headers in {@link io.tenantry.api.ApiPaths}
 * and {@link io.tenantry.api.Headers}.
 */
package io.tenantry.api;
