package io.tenantry.api;

import java.util.Map;

/**
 * A registration: what an instance says about itself. Registering the same id again replaces it
 * (idempotent). {@code tenant} names the tenant a dedicated instance serves, or is null for a shared
 * one. {@code leaseSeconds} asks for a lease length; the server clamps it to its own bounds.
 */
public record InstanceSpec(
    String id,
    String host,
    int port,
    String version,
    String zone,
    Integer weight,
    InstanceStatus status,
    Map<String, String> labels,
    String tenant,
    Integer leaseSeconds) {

  public static final int DEFAULT_WEIGHT = 100;
  public static final int MAX_LEASE_SECONDS = 3600;

  public InstanceSpec {
    Names.id("id", id);
    Names.host("host", host);
    Names.port("port", port);
    version = version == null ? "v1" : Names.version("version", version);
    zone = zone == null ? "default" : Names.name("zone", zone);
    weight = weight == null ? DEFAULT_WEIGHT : Names.weight("weight", weight);
    status = status == null ? InstanceStatus.UP : status;
    labels = Names.labels("labels", labels);
    if (tenant != null) {
      Names.name("tenant", tenant);
    }
    if (leaseSeconds != null && (leaseSeconds < 1 || leaseSeconds > MAX_LEASE_SECONDS)) {
      throw new ValidationException("leaseSeconds", leaseSeconds + " (expected: 1.." + MAX_LEASE_SECONDS + ")");
    }
  }
}
