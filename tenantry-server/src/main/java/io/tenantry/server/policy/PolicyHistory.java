package io.tenantry.server.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantry.server.store.PolicyVersion;
import java.util.List;

/**
 * One page of a policy's history, newest first.
 *
 * @param items the versions of this page
 * @param next  the {@code before} to ask for the next (older) page with; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyHistory(List<PolicyVersion> items, Long next) {
  public PolicyHistory {
    items = List.copyOf(items);
  }
}
