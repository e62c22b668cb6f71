package io.tenantry.client.internal.route;

import static io.tenantry.client.internal.route.RouteFixtures.instance;
import static io.tenantry.client.internal.route.RouteFixtures.roundRobin;
import static io.tenantry.client.internal.route.RouteFixtures.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AffinityTest {
  private final LoadBalancer balancer = roundRobin();

  private static List<Instance> instances(int n) {
    List<Instance> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(instance("order-" + i, "v1", "zone-a"));
    }
    return List.copyOf(list);
  }

  /** Counts in flight as the caller would: up at the start of an attempt, down at its finish. */
  private static final class Loads implements InFlight {
    final Map<Instance, Integer> counts = new IdentityHashMap<>();

    @Override
    public int of(Instance instance) {
      return counts.getOrDefault(instance, 0);
    }

    void start(Instance i) {
      counts.merge(i, 1, Integer::sum);
    }

    int max() {
      return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
  }

  private static Instance pick(Router router, String tenant, List<Instance> candidates, LoadBalancer balancer,
      InFlight inFlight) {
    RouteRule rule = router.match(tenant, "gold", "web", "GET", "/", HeaderLookup.NONE);
    return router.pick(rule, tenant, candidates, candidates, balancer, inFlight);
  }

  @Test
  void idleTenant_sticksToOneInstance() {
    Router router = router("{'rules':[],'affinity':{}}");
    List<Instance> candidates = instances(8);
    Map<String, Instance> home = new HashMap<>();
    for (int round = 0; round < 20; round++) {
      for (int t = 0; t < 50; t++) {
        String tenant = "tenant-" + t;
        Instance i = pick(router, tenant, candidates, balancer, InFlight.NONE);
        assertThat(home.computeIfAbsent(tenant, k -> i)).isEqualTo(i);
      }
    }
    // 50 tenants over 8 instances: consistent hashing spreads them, not all on one.
    assertThat(new java.util.HashSet<>(home.values())).hasSizeGreaterThan(4);
  }

  @Test
  void heavyTenant_spillsOverAndNoInstanceExceedsTheBound() {
    Router router = router("{'rules':[],'affinity':{'loadFactor':1.25}}");
    List<Instance> candidates = instances(5);
    Loads loads = new Loads();
    Instance home = pick(router, "acme", candidates, balancer, InFlight.NONE);
    for (int call = 0; call < 200; call++) {
      long total = call; // every earlier call is still in flight
      long bound = (long) Math.ceil(1.25 * (total + 1) / candidates.size());
      Instance i = pick(router, "acme", candidates, balancer, loads);
      assertThat(loads.of(i)).isLessThan((int) bound);
      loads.start(i);
      assertThat(loads.max()).isLessThanOrEqualTo((int) bound);
    }
    // Each instance holds at most 1.25 x the average, so the load spreads over at least 5 / 1.25 = 4 of them.
    assertThat(loads.counts).hasSizeGreaterThanOrEqualTo(4);
    assertThat(loads.max()).isEqualTo(loads.of(home)).isLessThanOrEqualTo(50); // ceil(1.25 * 200 / 5)
  }

  @Test
  void lightLoad_keepsATenantHome() {
    Router router = router("{'rules':[],'affinity':{'loadFactor':2.0}}");
    List<Instance> candidates = instances(4);
    Loads loads = new Loads();
    Instance home = pick(router, "acme", candidates, balancer, InFlight.NONE);
    for (Instance other : candidates) {
      if (other != home) {
        loads.start(other);
      }
    }
    // 3 in flight elsewhere: bound ceil(2 * 4 / 4) = 2, home has 0: stays home.
    assertThat(pick(router, "acme", candidates, balancer, loads)).isEqualTo(home);
  }

  @Test
  void addingOrRemovingAnInstance_movesAboutOneNthOfTenants() {
    Router router = router("{'rules':[],'affinity':{}}");
    List<Instance> ten = instances(10);
    List<Instance> nine = ten.subList(0, 9).stream().toList();
    List<Instance> eleven = new ArrayList<>(ten);
    eleven.add(instance("order-10", "v1", "zone-a"));
    List<Instance> grown = List.copyOf(eleven);
    int tenants = 5_000;
    int movedOnRemove = 0;
    int movedOnAdd = 0;
    for (int t = 0; t < tenants; t++) {
      String tenant = "tenant-" + t;
      Instance before = pick(router, tenant, ten, balancer, InFlight.NONE);
      Instance afterRemove = pick(router, tenant, nine, balancer, InFlight.NONE);
      Instance afterAdd = pick(router, tenant, grown, balancer, InFlight.NONE);
      if (!before.equals(afterRemove)) {
        movedOnRemove++;
        assertThat(before.id()).as("only the removed instance's tenants move").isEqualTo("order-9");
      }
      if (!before.equals(afterAdd)) {
        movedOnAdd++;
        assertThat(afterAdd.id()).as("tenants move only to the new instance").isEqualTo("order-10");
      }
    }
    // Expected 1/10 and 1/11 of tenants; 100 points per instance keep each share within a few percent.
    assertThat(movedOnRemove / (double) tenants).isBetween(0.05, 0.15);
    assertThat(movedOnAdd / (double) tenants).isBetween(0.045, 0.14);
  }

  @Test
  void noTenant_leavesThePickToTheBalancer() {
    Router router = router("{'rules':[],'affinity':{}}");
    List<Instance> candidates = instances(3);
    java.util.Set<Instance> seen = new java.util.HashSet<>();
    for (int i = 0; i < 9; i++) {
      seen.add(pick(router, null, candidates, balancer, InFlight.NONE));
    }
    assertThat(seen).hasSize(3);
  }

  @Test
  void affinity_appliesWithinTheRulesSubset() {
    Router router = router("{'rules':[{'name':'v2','destinations':[{'subset':{'version':'v2'}}]}],'affinity':{}}");
    List<Instance> candidates = new ArrayList<>(instances(4));
    candidates.add(instance("v2-a", "v2", "zone-a"));
    candidates.add(instance("v2-b", "v2", "zone-a"));
    List<Instance> list = List.copyOf(candidates);
    for (int t = 0; t < 100; t++) {
      Instance first = pick(router, "tenant-" + t, list, balancer, InFlight.NONE);
      assertThat(first.version()).isEqualTo("v2");
      assertThat(pick(router, "tenant-" + t, list, balancer, InFlight.NONE)).isEqualTo(first);
    }
  }
}
