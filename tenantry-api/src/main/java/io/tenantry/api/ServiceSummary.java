package io.tenantry.api;

/** A service of a namespace and how many of its instances are registered and up. */
public record ServiceSummary(String name, int instances, int up) {}
