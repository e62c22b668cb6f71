package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.RouteSpec;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.NoInstanceAvailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The route policy of one service compiled for the calls of one SDK. A call asks {@link #match} for its rule
 * once, reads the rule's {@link RouteRule#timeout()}, and asks {@link #pick} for each attempt's instance:
 * <ol>
 *   <li>the rule's destination is drawn at random by weight, and the candidates narrowed to its subset; an
 *       empty subset fails the call or falls back to every candidate, as the rule says; a call no rule takes
 *       goes to every candidate;</li>
 *   <li>with {@code locality} and a known caller zone, the candidates are kept to the caller's zone while
 *       enough of it is healthy;</li>
 *   <li>with {@code affinity} and a tenant, the instance is picked by consistent hashing on the tenant with
 *       bounded load; otherwise the load balancer picks.</li>
 * </ol>
 * A policy in dry run does all of it and counts the outcome in {@link #stats()}, but the call goes where it
 * would go without the policy. A policy change compiles a new router; the caller swaps it in (a call keeps
 * the router it matched with).
 *
 * <p>Cost: matching walks the rules in order; a pick over a candidate list seen before allocates nothing
 * (the narrowed lists and rings are remembered per candidate list). {@link #NONE}, for a
 * service without a route policy, hands the candidates straight to the balancer.
 *
 * <p>Thread-safety: thread-safe; one router serves every call to its service.
 */
public final class Router {
  /** No route policy: every call goes to the balancer's pick among all candidates. */
  public static final Router NONE = new Router();

  private final String service;
  private final String policy;
  private final boolean dryRun;
  private final RouteRule[] rules;
  /** The calls no rule takes, and those that fall back. */
  private final Target everyCandidate;
  /** True if some rule matches on headers: otherwise {@link #match} never reads them. */
  private final boolean readsHeaders;
  /** True if even the calls no rule takes are narrowed (zone) or picked by the router (affinity). */
  private final boolean shapes;

  private Router() {
    this.service = null;
    this.policy = null;
    this.dryRun = false;
    this.rules = new RouteRule[0];
    this.everyCandidate = null;
    this.shapes = false;
    this.readsHeaders = false;
  }

  private Router(String service, String policy, boolean dryRun, RouteSpec spec, String callerZone) {
    this.service = service;
    this.policy = policy;
    this.dryRun = dryRun;
    ZonePreference zones = spec.locality() == null || callerZone == null ? null
        : new ZonePreference(callerZone, spec.locality().minHealthyPercent());
    double loadFactor = spec.affinity() == null ? 0 : spec.affinity().loadFactor();
    this.shapes = zones != null || loadFactor > 0;
    this.everyCandidate = new Target(-1, Subset.ALL, 0, null, zones, loadFactor);
    this.rules = new RouteRule[spec.rules().size()];
    for (int r = 0; r < rules.length; r++) {
      RouteSpec.Rule rule = spec.rules().get(r);
      List<RouteSpec.Destination> destinations = rule.destinations();
      Target[] targets = new Target[destinations.size()];
      for (int d = 0; d < targets.length; d++) {
        Subset subset = new Subset(destinations.get(d).subset());
        targets[d] = new Target(d, subset, destinations.get(d).weight(), emptyDetail(policy, rule.name(), subset),
            zones, loadFactor);
      }
      rules[r] = new RouteRule(rule, dryRun, targets);
    }
    boolean headers = false;
    for (RouteRule rule : rules) {
      headers |= rule.matcher.readsHeaders();
    }
    this.readsHeaders = headers;
  }

  private static String emptyDetail(String policy, String rule, Subset subset) {
    return "route policy '" + policy + "', rule '" + rule + "', sends this call to the subset " + subset
        + ", which holds no eligible instance (UP, fit for the tenant's isolation, not ejected): register"
        + " instances with these labels, correct the subset, or set 'onEmpty: fallback' on the rule";
  }

  /**
   * The router of {@code service} for {@code policy} (a {@code route} policy for that service or for
   * {@code *}), or {@link #NONE} if {@code policy} is null.
   *
   * @param callerZone this process's zone, or null if unknown (zone preference is then off)
   * @throws io.tenantry.api.ValidationException if the policy's spec is not a valid route spec
   * @throws IllegalArgumentException if the policy is of another kind
   */
  public static Router compile(String service, Policy policy, String callerZone) {
    Objects.requireNonNull(service, "service");
    if (policy == null) {
      return NONE;
    }
    if (policy.kind() != PolicyKind.ROUTE) {
      throw new IllegalArgumentException("policy '" + policy.name() + "': " + policy.kind().wire()
          + " (expected: route)");
    }
    RouteSpec spec = PolicySpecs.parse(policy.spec(), RouteSpec.class);
    return new Router(service, policy.name(), policy.dryRun(), spec, callerZone);
  }

  /** As {@link #compile(String, Policy, String)}, from a spec already read. */
  public static Router of(String service, String policyName, boolean dryRun, RouteSpec spec, String callerZone) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(spec, "spec");
    return new Router(service, policyName, dryRun, spec, callerZone);
  }

  /** The policy's name, or null for {@link #NONE}. */
  public String policy() {
    return policy;
  }

  public boolean dryRun() {
    return dryRun;
  }

  /**
   * True if some rule matches on headers. A caller whose header lookup costs an allocation (a lambda over the
   * request) passes {@link HeaderLookup#NONE} when this is false.
   */
  public boolean readsHeaders() {
    return readsHeaders;
  }

  /**
   * The first rule that takes the call, or null if none does. Null values (no tenant, no tier known) fail
   * the conditions on them. Allocation-free.
   *
   * @param caller  the calling service (this process's)
   * @param method  the HTTP method, upper case
   * @param path    the raw path of the request
   * @param headers the request's headers; read only by rules that match on headers
   */
  public RouteRule match(String tenant, String tier, String caller, String method, String path,
      HeaderLookup headers) {
    for (RouteRule rule : rules) {
      if (rule.matcher.matches(tenant, tier, caller, method, path, headers)) {
        return rule;
      }
    }
    return null;
  }

  /**
   * The instance for one attempt of a call that {@link #match} gave {@code rule} (null: no rule).
   * Allocation-free when {@code eligible} and {@code all} are list objects this router has seen before.
   *
   * @param tenant   the call's tenant, or null (then affinity does not apply)
   * @param eligible the call's candidates now, never empty: the instances the call may go to (after outlier
   *                 ejection); not modified afterwards
   * @param all      the same candidates before ejection (the same object if nothing is ejected): the zone's
   *                 healthy share is measured against it
   * @param balancer picks among the narrowed candidates when affinity does not
   * @param inFlight the calls in flight per instance, for affinity's load bound
   * @throws NoInstanceAvailableException if the rule's chosen subset holds no eligible instance and its
   *                                      {@code onEmpty} is {@code fail} (never in dry run)
   */
  public Instance pick(RouteRule rule, String tenant, List<Instance> eligible, List<Instance> all,
      LoadBalancer balancer, InFlight inFlight) {
    if (everyCandidate == null) {
      return balancer.choose(eligible);
    }
    if (dryRun) {
      rehearse(rule, eligible, all);
      return balancer.choose(eligible);
    }
    if (rule == null) {
      everyCandidate.routed.increment();
      return shapes ? place(everyCandidate.narrow(eligible, all), tenant, balancer, inFlight)
          : balancer.choose(eligible);
    }
    Target target = rule.choose();
    Target.Narrowed narrowed = target.narrow(eligible, all);
    if (!narrowed.empty()) {
      target.routed.increment();
      return place(narrowed, tenant, balancer, inFlight);
    }
    if (rule.onEmpty == RouteSpec.OnEmpty.FAIL) {
      target.failedEmpty.increment();
      throw new NoInstanceAvailableException(service, tenant, target.emptyDetail);
    }
    target.fellBack.increment();
    return shapes ? place(everyCandidate.narrow(eligible, all), tenant, balancer, inFlight)
        : balancer.choose(eligible);
  }

  private static Instance place(Target.Narrowed narrowed, String tenant, LoadBalancer balancer, InFlight inFlight) {
    if (narrowed.ring() != null && tenant != null) {
      return narrowed.ring().pick(tenant, inFlight);
    }
    return balancer.choose(narrowed.chosen());
  }

  /** Dry run: works out where the call would go and counts it, changing nothing. */
  private void rehearse(RouteRule rule, List<Instance> eligible, List<Instance> all) {
    if (rule == null) {
      everyCandidate.wouldRoute.increment();
      return;
    }
    Target target = rule.choose();
    if (!target.narrow(eligible, all).empty()) {
      target.wouldRoute.increment();
    } else if (rule.onEmpty == RouteSpec.OnEmpty.FAIL) {
      target.wouldFail.increment();
    } else {
      target.wouldFallBack.increment();
    }
  }

  /** The counts of every destination, rule by rule, then the row of the calls no rule took; empty for NONE. */
  public List<RouteStats> stats() {
    if (everyCandidate == null) {
      return List.of();
    }
    List<RouteStats> rows = new ArrayList<>();
    for (RouteRule rule : rules) {
      for (Target t : rule.targets) {
        rows.add(row(rule.name(), t));
      }
    }
    rows.add(row(null, everyCandidate));
    return List.copyOf(rows);
  }

  private RouteStats row(String rule, Target t) {
    Map<String, String> subset = t.subset.entries();
    return new RouteStats(policy, rule, t.index, subset, t.routed.sum(), t.failedEmpty.sum(), t.fellBack.sum(),
        t.wouldRoute.sum(), t.wouldFail.sum(), t.wouldFallBack.sum());
  }

  @Override
  public String toString() {
    return everyCandidate == null ? "Router.NONE"
        : "Router[" + service + ", policy " + policy + (dryRun ? ", dry run" : "") + ", " + rules.length + " rules]";
  }
}
