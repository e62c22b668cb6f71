package io.tenantry.api;

import java.util.Map;

/**
 * One running copy of a service as the registry holds it. {@code tenant} is the tenant a dedicated
 * instance serves, or null for a shared instance. {@code revision} is the namespace revision of its
 * last change.
 */
public record Instance(
    String namespace,
    String service,
    String id,
    String host,
    int port,
    String version,
    String zone,
    int weight,
    InstanceStatus status,
    Map<String, String> labels,
    String tenant,
    int leaseSeconds,
    long revision) {

  public Instance {
    Names.name("namespace", namespace);
    Names.name("service", service);
    Names.id("id", id);
    Names.required("status", status);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static Instance of(String namespace, String service, InstanceSpec spec, int leaseSeconds, long revision) {
    return new Instance(namespace, service, spec.id(), spec.host(), spec.port(), spec.version(), spec.zone(),
        spec.weight(), spec.status(), spec.labels(), spec.tenant(), leaseSeconds, revision);
  }

  public Instance withStatus(InstanceStatus newStatus, long newRevision) {
    return new Instance(namespace, service, id, host, port, version, zone, weight, newStatus, labels, tenant,
        leaseSeconds, newRevision);
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  public boolean dedicated() {
    return tenant != null;
  }

  /** True if both describe the same instance in the same state, ignoring the revision. */
  public boolean sameAs(Instance o) {
    return o != null && id.equals(o.id) && host.equals(o.host) && port == o.port && version.equals(o.version)
        && zone.equals(o.zone) && weight == o.weight && status == o.status && labels.equals(o.labels)
        && java.util.Objects.equals(tenant, o.tenant) && leaseSeconds == o.leaseSeconds;
  }
}
