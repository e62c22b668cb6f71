package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.LoadBalancer;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared values of the routing tests. */
final class RouteFixtures {
  private RouteFixtures() {}

  static Instance instance(String id, String version, String zone) {
    return instance(id, version, zone, Map.of(), null);
  }

  static Instance instance(String id, String version, String zone, Map<String, String> labels, String tenant) {
    return new Instance("shop", "order", id, "10.0.0.1", 8080, version, zone, 100, InstanceStatus.UP, labels, tenant,
        30, 1);
  }

  /** A route policy for {@code order} whose spec is {@code json} with single quotes for double ones. */
  static Policy policy(String name, boolean dryRun, String json) {
    try {
      return new Policy("shop", PolicyKind.ROUTE, name, "order", dryRun, null,
          Json.newMapper().readTree(json.replace('\'', '"')), 1, 1, "key-1", Instant.EPOCH);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Router router(String json) {
    return Router.compile("order", policy("routes", false, json), null);
  }

  /** Each candidate in turn, without allocating: spreads calls evenly so that tests see whole lists. */
  static LoadBalancer roundRobin() {
    AtomicInteger next = new AtomicInteger();
    return candidates -> candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }

  /** A call with only a tenant and a tier, GET / without headers. */
  static Instance pick(Router router, String tenant, String tier, List<Instance> candidates, LoadBalancer balancer) {
    RouteRule rule = router.match(tenant, tier, "web", "GET", "/", HeaderLookup.NONE);
    return router.pick(rule, tenant, candidates, candidates, balancer, InFlight.NONE);
  }
}
