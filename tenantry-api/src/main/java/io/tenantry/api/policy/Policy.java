package io.tenantry.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Names;
import java.time.Instant;

/**
 * A policy as the control plane stores and serves it.
 *
 * @param version   1 for the first write of this policy, one more for every later write (a rollback included)
 * @param revision  the namespace revision of its last change (orders it among every change of the namespace)
 * @param updatedBy who made the last change: the id of the API key that wrote it
 * @param updatedAt when the last change was made
 */
public record Policy(
    String namespace,
    PolicyKind kind,
    String name,
    String service,
    boolean dryRun,
    String description,
    JsonNode spec,
    long version,
    long revision,
    String updatedBy,
    Instant updatedAt) {
  public Policy {
    Names.name("namespace", namespace);
    Names.required("kind", kind);
    Names.name("name", name);
    PolicySpec.service(service);
    Names.required("spec", spec);
  }

  /** The key of a policy within its namespace: {@code <kind>/<name>}. */
  public String key() {
    return kind.wire() + "/" + name;
  }

  public PolicySpec toSpec() {
    return new PolicySpec(service, dryRun, description, spec);
  }

  public boolean anyService() {
    return PolicySpec.ANY_SERVICE.equals(service);
  }
}
