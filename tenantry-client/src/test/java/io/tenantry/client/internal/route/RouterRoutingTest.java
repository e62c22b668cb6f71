package io.tenantry.client.internal.route;

import static io.tenantry.client.internal.route.RouteFixtures.instance;
import static io.tenantry.client.internal.route.RouteFixtures.pick;
import static io.tenantry.client.internal.route.RouteFixtures.policy;
import static io.tenantry.client.internal.route.RouteFixtures.roundRobin;
import static io.tenantry.client.internal.route.RouteFixtures.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.NoInstanceAvailableException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterRoutingTest {
  private static final Instance V1A = instance("v1-a", "v1", "zone-a");
  private static final Instance V1B = instance("v1-b", "v1", "zone-b");
  private static final Instance V2A = instance("v2-a", "v2", "zone-a");
  private static final List<Instance> CANDIDATES = List.of(V1A, V1B, V2A);

  /** 10% of the gold tier to v2, every other call to v1. */
  private static final String CANARY = "{'rules':["
      + "{'name':'gold-canary','match':{'tiers':['gold']},'destinations':["
      + "{'subset':{'version':'v2'},'weight':10},{'subset':{'version':'v1'},'weight':90}]},"
      + "{'name':'stable','destinations':[{'subset':{'version':'v1'}}]}]}";

  private final LoadBalancer balancer = roundRobin();

  @Test
  void canary_takesTenPercentOfOneTiersCallsAndNoneOfAnothers() {
    Router router = router(CANARY);
    int picks = 20_000;
    int toV2 = 0;
    for (int i = 0; i < picks; i++) {
      if (pick(router, "acme", "gold", CANDIDATES, balancer).version().equals("v2")) {
        toV2++;
      }
    }
    // sd of the share is sqrt(0.1 * 0.9 / 20000) = 0.0021: +-0.011 is more than 5 sd.
    assertThat(toV2 / (double) picks).isBetween(0.089, 0.111);
    for (int i = 0; i < 2_000; i++) {
      assertThat(pick(router, "globex", "free", CANDIDATES, balancer).version()).isEqualTo("v1");
    }
    List<RouteStats> stats = router.stats();
    assertThat(stats).extracting(RouteStats::rule, RouteStats::destination, RouteStats::subset, RouteStats::routed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gold-canary", 0, Map.of("version", "v2"), (long) toV2),
            org.assertj.core.groups.Tuple.tuple("gold-canary", 1, Map.of("version", "v1"), (long) (picks - toV2)),
            org.assertj.core.groups.Tuple.tuple("stable", 0, Map.of("version", "v1"), 2_000L),
            org.assertj.core.groups.Tuple.tuple(null, -1, Map.of(), 0L));
  }

  @Test
  void grayRelease_sendsListedTenantsToTheNewVersion() {
    Router router = router("{'rules':["
        + "{'name':'gray','match':{'tenants':['acme','globex']},'destinations':[{'subset':{'version':'v2'}}]},"
        + "{'name':'stable','destinations':[{'subset':{'version':'v1'}}]}]}");
    for (int i = 0; i < 100; i++) {
      assertThat(pick(router, "acme", "free", CANDIDATES, balancer)).isEqualTo(V2A);
      assertThat(pick(router, "globex", "gold", CANDIDATES, balancer)).isEqualTo(V2A);
      assertThat(pick(router, "initech", "gold", CANDIDATES, balancer).version()).isEqualTo("v1");
      assertThat(pick(router, null, null, CANDIDATES, balancer).version()).isEqualTo("v1");
    }
  }

  @Test
  void blueGreen_switchesEveryCallWhenThePolicyIsSwapped() {
    Instance blue = instance("blue-1", "v1", "zone-a", Map.of("color", "blue"), null);
    Instance green = instance("green-1", "v2", "zone-a", Map.of("color", "green"), null);
    List<Instance> both = List.of(blue, green);
    String spec = "{'rules':[{'name':'live','destinations':[{'subset':{'color':'%s'}}]}]}";
    Router toBlue = router(spec.formatted("blue"));
    Router toGreen = router(spec.formatted("green"));
    for (int i = 0; i < 50; i++) {
      assertThat(pick(toBlue, "acme", "gold", both, balancer)).isEqualTo(blue);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(pick(toGreen, "acme", "gold", both, balancer)).isEqualTo(green);
    }
  }

  @Test
  void subset_matchesTenantFieldAndLabels() {
    Instance dedicated = instance("d-1", "v1", "zone-a", Map.of("pool", "big"), "acme");
    Instance shared = instance("s-1", "v1", "zone-a", Map.of("pool", "big"), null);
    Router router = router("{'rules':[{'name':'r','destinations':[{'subset':{'tenant':'acme','pool':'big'}}]}]}");
    assertThat(pick(router, "acme", null, List.of(shared, dedicated), balancer)).isEqualTo(dedicated);
  }

  @Test
  void emptySubset_failsWithAnErrorThatSaysWhatToDo() {
    Router router = router("{'rules':[{'name':'to-v3','destinations':[{'subset':{'version':'v3'}}]}]}");
    NoInstanceAvailableException e = catchThrowableOfType(NoInstanceAvailableException.class,
        () -> pick(router, "acme", "gold", CANDIDATES, balancer));
    assertThat(e.service()).isEqualTo("order");
    assertThat(e.tenant()).isEqualTo("acme");
    assertThat(e).hasMessage("no instance of service 'order' for tenant 'acme': route policy 'routes', rule 'to-v3',"
        + " sends this call to the subset {version=v3}, which holds no eligible instance (UP, fit for the tenant's"
        + " isolation, not ejected): register instances with these labels, correct the subset, or set"
        + " 'onEmpty: fallback' on the rule");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(router.stats().get(0).failedEmpty()).isEqualTo(1);
  }

  @Test
  void emptySubset_fallsBackToEveryCandidateWhenTheRuleSaysSo() {
    Router router = router("{'rules':[{'name':'to-v3','onEmpty':'fallback',"
        + "'destinations':[{'subset':{'version':'v3'}}]}]}");
    Set<Instance> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      seen.add(pick(router, "acme", "gold", CANDIDATES, balancer));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(CANDIDATES);
    assertThat(router.stats().get(0).fellBack()).isEqualTo(30);
  }

  @Test
  void emptySubset_isJudgedOnTheEligibleCandidates() {
    Router router = router("{'rules':[{'name':'canary','onEmpty':'fallback',"
        + "'destinations':[{'subset':{'version':'v2'}}]}]}");
    List<Instance> afterEjection = List.of(V1A, V1B); // v2-a ejected
    RouteRule rule = router.match("acme", "gold", "web", "GET", "/", HeaderLookup.NONE);
    for (int i = 0; i < 20; i++) {
      assertThat(router.pick(rule, "acme", afterEjection, CANDIDATES, balancer, InFlight.NONE).version())
          .isEqualTo("v1");
    }
  }

  @Test
  void noRule_sendsToEveryCandidate() {
    Router router = router("{'rules':[{'name':'gold','match':{'tiers':['gold']},"
        + "'destinations':[{'subset':{'version':'v2'}}]}]}");
    Set<Instance> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      seen.add(pick(router, "acme", "free", CANDIDATES, balancer));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(CANDIDATES);
    assertThat(router.stats().get(1).routed()).isEqualTo(30);
  }

  @Test
  void noCandidates_reachTheBalancerAsWithoutAPolicy() {
    Router router = Router.compile("order", policy("p", false, "{'rules':[{'name':'any','destinations':[{}]}],"
        + "'affinity':{},'locality':{}}"), "zone-a");
    List<Instance> none = List.of();
    LoadBalancer sentinel = candidates -> candidates.isEmpty() ? V1A : V2A;
    assertThat(pick(router, "acme", "gold", none, sentinel)).isEqualTo(V1A);
    assertThat(pick(router("{'rules':[]}"), "acme", "gold", none, sentinel)).isEqualTo(V1A);
  }

  @Test
  void none_handsTheCandidatesToTheBalancer() {
    LoadBalancer last = candidates -> candidates.get(candidates.size() - 1);
    assertThat(pick(Router.NONE, "acme", "gold", CANDIDATES, last)).isEqualTo(V2A);
    assertThat(Router.NONE.stats()).isEmpty();
  }

  @Test
  void dryRun_countsTheDecisionButRoutesAsWithoutThePolicy() {
    String spec = "{'rules':["
        + "{'name':'gold-v2','match':{'tiers':['gold']},'destinations':[{'subset':{'version':'v2'}}]},"
        + "{'name':'free-v3','match':{'tiers':['free']},'destinations':[{'subset':{'version':'v3'}}]},"
        + "{'name':'std-v3','match':{'tiers':['standard']},'onEmpty':'fallback',"
        + "'destinations':[{'subset':{'version':'v3'}}]}]}";
    Router router = Router.compile("order", policy("rehearsal", true, spec), null);
    Set<Instance> gold = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      gold.add(pick(router, "acme", "gold", CANDIDATES, balancer));
      pick(router, "initech", "free", CANDIDATES, balancer); // would fail: does not
      pick(router, "globex", "standard", CANDIDATES, balancer);
      pick(router, null, null, CANDIDATES, balancer);
    }
    assertThat(gold).containsExactlyInAnyOrderElementsOf(CANDIDATES);
    assertThat(router.stats()).extracting(RouteStats::rule, RouteStats::routed, RouteStats::wouldRoute,
        RouteStats::wouldFail, RouteStats::wouldFallBack).containsExactly(
            org.assertj.core.groups.Tuple.tuple("gold-v2", 0L, 30L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple("free-v3", 0L, 0L, 30L, 0L),
            org.assertj.core.groups.Tuple.tuple("std-v3", 0L, 0L, 0L, 30L),
            org.assertj.core.groups.Tuple.tuple(null, 0L, 30L, 0L, 0L));
    assertThat(router.stats()).allSatisfy(s -> assertThat(s.policy()).isEqualTo("rehearsal"));
  }

  @Test
  void weightZero_destinationIsNeverChosen() {
    Router router = router("{'rules':[{'name':'r','destinations':["
        + "{'subset':{'version':'v2'},'weight':0},{'subset':{'version':'v1'},'weight':5}]}]}");
    for (int i = 0; i < 1_000; i++) {
      assertThat(pick(router, "acme", "gold", CANDIDATES, balancer).version()).isEqualTo("v1");
    }
  }

  @Test
  void newCandidateList_isNarrowedAfresh() {
    Router router = router(CANARY);
    Instance v2b = instance("v2-b", "v2", "zone-b");
    List<Instance> before = List.of(V1A, V2A);
    List<Instance> after = List.of(V1A, v2b); // v2-a replaced by v2-b
    RouteRule rule = router.match("acme", "gold", "web", "GET", "/", HeaderLookup.NONE);
    Set<Instance> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      router.pick(rule, "acme", before, before, balancer, InFlight.NONE);
      seen.add(router.pick(rule, "acme", after, after, balancer, InFlight.NONE));
    }
    assertThat(seen).containsExactlyInAnyOrder(V1A, v2b);
  }
}
