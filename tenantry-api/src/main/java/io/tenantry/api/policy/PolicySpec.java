package io.tenantry.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;

/**
 * The writable part of a policy (the body of a PUT; kind and name are in the path).
 *
 * @param service     the service the policy governs, or {@code *} for every service of the namespace
 * @param dryRun      true to evaluate the policy and count its would-be effect without enforcing it (default false)
 * @param description free text for operators, at most 1024 characters (default empty)
 * @param spec        the kind's settings, a JSON object read into {@link PolicyKind#specType()}
 */
public record PolicySpec(String service, Boolean dryRun, String description, JsonNode spec) {
  public static final String ANY_SERVICE = "*";

  public PolicySpec {
    service = service(service);
    dryRun = dryRun != null && dryRun;
    description = description == null ? "" : Names.text("description", description, Names.MAX_DESCRIPTION);
    Names.required("spec", spec);
    if (!spec.isObject()) {
      throw new ValidationException("spec", "a JSON " + spec.getNodeType().name().toLowerCase() + " (expected: an object)");
    }
  }

  /** A service name or {@code *}. */
  public static String service(String service) {
    return ANY_SERVICE.equals(service) ? service : Names.name("service", service);
  }

  public boolean anyService() {
    return ANY_SERVICE.equals(service);
  }
}
