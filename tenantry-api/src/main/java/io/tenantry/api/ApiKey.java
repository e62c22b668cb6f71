package io.tenantry.api;

import java.time.Instant;

/** A credential as the control plane lists it: never the secret, which exists only at creation. */
public record ApiKey(String id, String namespace, String name, Role role, Instant createdAt, boolean revoked) {}
