package io.tenantry.api;

import java.util.Map;

/** A customer of the multi-tenant system, as the control plane stores it. */
public record Tenant(
    String namespace,
    String id,
    String tier,
    TenantStatus status,
    Isolation isolation,
    Map<String, String> labels,
    long revision) {
  public Tenant {
    Names.name("namespace", namespace);
    Names.name("id", id);
    Names.name("tier", tier);
    Names.required("status", status);
    Names.required("isolation", isolation);
    labels = Names.labels("labels", labels);
  }

  public static Tenant of(String namespace, TenantSpec spec, long revision) {
    return new Tenant(namespace, spec.id(), spec.tier(), spec.status(), spec.isolation(), spec.labels(), revision);
  }

  public boolean active() {
    return status == TenantStatus.ACTIVE;
  }

  public boolean siloed() {
    return isolation == Isolation.SILOED;
  }
}
