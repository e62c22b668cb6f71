package io.tenantry.api;

/** The answer to a key creation: {@code secret} is shown this once and stored only as a hash. */
public record CreatedApiKey(ApiKey key, String secret) {}
