package io.tenantry.api;

import java.util.Map;

/**
 * The writable part of a tenant. Missing fields take their defaults: tier {@code standard}, status
 * {@code active}, isolation {@code pooled}.
 */
public record TenantSpec(String id, String tier, TenantStatus status, Isolation isolation, Map<String, String> labels) {
  public TenantSpec {
    Names.name("id", id);
    tier = tier == null ? "standard" : Names.name("tier", tier);
    status = status == null ? TenantStatus.ACTIVE : status;
    isolation = isolation == null ? Isolation.POOLED : isolation;
    labels = Names.labels("labels", labels);
  }
}
