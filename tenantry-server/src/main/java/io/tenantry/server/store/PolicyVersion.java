package io.tenantry.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantry.api.policy.Policy;
import java.util.Objects;

/**
 * One entry of a policy's history: the policy as one write left it ({@code policy.version()} numbers the
 * write, {@code updatedBy} and {@code updatedAt} say who and when), what the write did and, for a
 * rollback, the version whose content it restored. For {@link PolicyAction#DELETED}, the content the
 * policy had when it was deleted. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyVersion(PolicyAction action, Long restoredVersion, Policy policy) {
  public PolicyVersion {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(policy, "policy");
    if ((action == PolicyAction.ROLLED_BACK) != (restoredVersion != null)) {
      throw new IllegalArgumentException("restoredVersion: " + restoredVersion + " (expected: set for a rollback only)");
    }
  }
}
