package io.tenantry.client.internal.route;

import static io.tenantry.client.internal.route.RouteFixtures.instance;
import static io.tenantry.client.internal.route.RouteFixtures.policy;
import static io.tenantry.client.internal.route.RouteFixtures.roundRobin;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZonePreferenceTest {
  private static final Instance A1 = instance("a-1", "v1", "zone-a");
  private static final Instance A2 = instance("a-2", "v1", "zone-a");
  private static final Instance A3 = instance("a-3", "v1", "zone-a");
  private static final Instance B1 = instance("b-1", "v1", "zone-b");
  private static final Instance B2 = instance("b-2", "v1", "zone-b");
  private static final List<Instance> ALL = List.of(A1, B1, A2, B2, A3);
  private static final String LOCAL = "{'rules':[],'locality':{'minHealthyPercent':60}}";

  private final LoadBalancer balancer = roundRobin();

  private static Router router(String spec, String callerZone) {
    return Router.compile("order", policy("zones", false, spec), callerZone);
  }

  private Set<Instance> reached(Router router, List<Instance> eligible, List<Instance> all) {
    Set<Instance> seen = new HashSet<>();
    RouteRule rule = router.match("acme", "gold", "web", "GET", "/", HeaderLookup.NONE);
    for (int i = 0; i < 60; i++) {
      seen.add(router.pick(rule, "acme", eligible, all, balancer, InFlight.NONE));
    }
    return seen;
  }

  @Test
  void healthyZone_keepsCallsInTheCallersZone() {
    assertThat(reached(router(LOCAL, "zone-a"), ALL, ALL)).containsExactlyInAnyOrder(A1, A2, A3);
    assertThat(reached(router(LOCAL, "zone-b"), ALL, ALL)).containsExactlyInAnyOrder(B1, B2);
  }

  @Test
  void zoneAtTheThreshold_staysLocal() {
    List<Instance> oneEjected = List.of(A1, B1, A2, B2); // 2 of 3 = 66% >= 60%
    assertThat(reached(router(LOCAL, "zone-a"), oneEjected, ALL)).containsExactlyInAnyOrder(A1, A2);
  }

  @Test
  void unhealthyZone_spillsOverToEveryZone() {
    List<Instance> twoEjected = List.of(A1, B1, B2); // 1 of 3 = 33% < 60%
    assertThat(reached(router(LOCAL, "zone-a"), twoEjected, ALL)).containsExactlyInAnyOrder(A1, B1, B2);
    List<Instance> zoneGone = List.of(B1, B2);
    assertThat(reached(router(LOCAL, "zone-a"), zoneGone, ALL)).containsExactlyInAnyOrder(B1, B2);
  }

  @Test
  void zoneWithoutInstances_orUnknownCallerZone_usesEveryZone() {
    assertThat(reached(router(LOCAL, "zone-c"), ALL, ALL)).containsExactlyInAnyOrderElementsOf(ALL);
    assertThat(reached(router(LOCAL, null), ALL, ALL)).containsExactlyInAnyOrderElementsOf(ALL);
  }

  @Test
  void zonePreference_appliesWithinTheRulesSubset() {
    Instance a2v2 = instance("a-v2", "v2", "zone-a");
    Instance b2v2 = instance("b-v2", "v2", "zone-b");
    List<Instance> all = List.of(A1, B1, a2v2, b2v2);
    String spec = "{'rules':[{'name':'v2','destinations':[{'subset':{'version':'v2'}}]}],"
        + "'locality':{'minHealthyPercent':100}}";
    assertThat(reached(router(spec, "zone-b"), all, all)).containsExactly(b2v2);
    List<Instance> b2Ejected = List.of(A1, B1, a2v2);
    assertThat(reached(router(spec, "zone-b"), b2Ejected, all)).containsExactly(a2v2);
  }

  @Test
  void zoneAndAffinity_hashWithinTheLocalZone() {
    Router router = router("{'rules':[],'locality':{},'affinity':{}}", "zone-b");
    for (int t = 0; t < 50; t++) {
      RouteRule rule = router.match("tenant-" + t, null, "web", "GET", "/", HeaderLookup.NONE);
      assertThat(router.pick(rule, "tenant-" + t, ALL, ALL, balancer, InFlight.NONE).zone()).isEqualTo("zone-b");
    }
  }
}
