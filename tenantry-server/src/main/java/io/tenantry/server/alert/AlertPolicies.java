package io.tenantry.server.alert;

import io.tenantry.api.policy.Policy;
import java.util.List;
import java.util.Map;

/** Where the evaluator reads the rules from: every namespace, with its alert policies (an empty list for none). */
@FunctionalInterface
public interface AlertPolicies {
  Map<String, List<Policy>> byNamespace();
}
