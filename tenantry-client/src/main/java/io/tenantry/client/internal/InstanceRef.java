package io.tenantry.client.internal;

/** A service and instance id, as the batch heartbeat names registrations. */
public record InstanceRef(String service, String id) {}
