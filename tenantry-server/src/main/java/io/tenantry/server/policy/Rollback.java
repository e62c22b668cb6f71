package io.tenantry.server.policy;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;

/**
 * The body of a rollback: the version of the policy's history whose content to write again.
 *
 * @param version 1 or more, a version the history holds
 */
public record Rollback(Long version) {
  public Rollback {
    Names.required("version", version);
    if (version < 1) {
      throw new ValidationException("version", version + " (expected: >= 1)");
    }
  }
}
