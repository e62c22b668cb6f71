package io.tenantry.server.alert;

import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.server.stats.StatsView;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts one evaluation looks at: for every rule of every alert policy, each service it names ({@code *}:
 * each that reported calls in the rule's window), each tenant ({@code *}: each that reported calls) and each
 * instance ({@code *}: each that reported calls it served), plus the alerts followed already that their rule
 * still covers (so an alert whose calls stopped, or whose instance stopped reporting, is evaluated, and
 * resolves). Built once per evaluation; not thread-safe.
 */
final class RuleTargets {
  private static final Logger LOG = LoggerFactory.getLogger(RuleTargets.class);

  /** A rule in force: its policy and the rule itself. */
  record RuleRef(Policy policy, AlertSpec.Rule rule) {
    /**
     * True if the rule, as it is now, still applies to the alert {@code key} (its service, tenant or instance
     * may have changed).
     */
    boolean covers(AlertKey key) {
      boolean service = policy.anyService() || policy.service().equals(key.service());
      return service && matches(rule.tenant(), rule.eachTenant(), key.tenant())
          && matches(rule.instance(), rule.eachInstance(), key.instance());
    }

    /** Whether an alert's tenant (instance) is one the rule's {@code wanted} (absent, {@code *} or one) names. */
    private static boolean matches(String wanted, boolean each, String actual) {
      return wanted == null ? actual == null : each ? actual != null : wanted.equals(actual);
    }

    /** Where the rule's events go: its policy's notifiers, none for a dry run. */
    List<String> urls() {
      return policy.dryRun() ? List.of()
          : ((AlertSpec) PolicySpecs.parse(policy)).notifiers().stream().map(AlertSpec.Notifier::url).toList();
    }
  }

  private final Map<AlertKey, RuleRef> targets = new LinkedHashMap<>();
  private final Set<String> namespaces;

  private RuleTargets(Set<String> namespaces) {
    this.namespaces = namespaces;
  }

  /** The targets of {@code policies} (by namespace) over {@code stats}, with the alerts of {@code followed} still covered. */
  static RuleTargets of(Map<String, List<Policy>> policies, StatsView stats, Collection<AlertKey> followed) {
    RuleTargets t = new RuleTargets(policies.keySet());
    Map<String, RuleRef> inForce = new HashMap<>();
    for (List<Policy> ofNamespace : policies.values()) {
      for (Policy policy : ofNamespace) {
        AlertSpec spec = spec(policy);
        if (spec == null) {
          continue;
        }
        for (AlertSpec.Rule rule : spec.rules()) {
          RuleRef ref = new RuleRef(policy, rule);
          inForce.put(ruleId(policy.namespace(), policy.name(), rule.name()), ref);
          for (String service : services(stats, policy, rule)) {
            for (String tenant : tenants(stats, policy.namespace(), service, rule)) {
              for (String instance : instances(stats, policy.namespace(), service, rule)) {
                t.targets.put(new AlertKey(policy.namespace(), policy.name(), rule.name(), service, tenant, instance),
                    ref);
              }
            }
          }
        }
      }
    }
    for (AlertKey key : followed) {
      RuleRef ref = inForce.get(ruleId(key.namespace(), key.policy(), key.rule()));
      if (ref != null && ref.covers(key)) {
        t.targets.putIfAbsent(key, ref);
      }
    }
    return t;
  }

  /** Every alert to evaluate, with the rule that governs it. */
  Map<AlertKey, RuleRef> all() {
    return Collections.unmodifiableMap(targets);
  }

  boolean contains(AlertKey key) {
    return targets.containsKey(key);
  }

  /** False once a namespace is deleted: its alerts can no longer be recorded, only forgotten. */
  boolean namespaceExists(String namespace) {
    return namespaces.contains(namespace);
  }

  private static Collection<String> services(StatsView stats, Policy policy, AlertSpec.Rule rule) {
    return policy.anyService() ? new TreeSet<>(stats.services(policy.namespace(), rule.windowDuration()))
        : List.of(policy.service());
  }

  private static Collection<String> tenants(StatsView stats, String namespace, String service, AlertSpec.Rule rule) {
    if (rule.tenant() == null) {
      return Collections.singletonList(null);
    }
    return rule.eachTenant() ? new TreeSet<>(stats.tenants(namespace, service, rule.windowDuration()))
        : List.of(rule.tenant());
  }

  /** The instances a rule watches on {@code service}: null stands for all of them together. */
  private static Collection<String> instances(StatsView stats, String namespace, String service, AlertSpec.Rule rule) {
    if (rule.instance() == null) {
      return Collections.singletonList(null);
    }
    return rule.eachInstance() ? stats.instances(namespace, service, rule.windowDuration()) : List.of(rule.instance());
  }

  /** The policy's spec, or null (logged) if what was stored no longer passes validation. */
  private static AlertSpec spec(Policy policy) {
    try {
      return (AlertSpec) PolicySpecs.parse(policy);
    } catch (ValidationException e) {
      LOG.warn("alert policy {} of namespace {} is not evaluated: {}", policy.name(), policy.namespace(), e.getMessage());
      return null;
    }
  }

  private static String ruleId(String namespace, String policy, String rule) {
    return namespace + '/' + policy + '/' + rule;
  }
}
