package io.tenantry.client.internal.route;

import static io.tenantry.client.internal.route.RouteFixtures.instance;
import static io.tenantry.client.internal.route.RouteFixtures.policy;
import static io.tenantry.client.internal.route.RouteFixtures.roundRobin;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call's match and pick allocate nothing once its candidate list has been seen. Measured with the thread's
 * allocation counter over 100,000 calls after as many to warm up; the bound leaves room for the counter's own
 * reads, nothing per call. The balancer is one that does not allocate, so the figure is the router's.
 */
class RouterAllocationTest {
  private static final int CALLS = 100_000;
  private static final String RULES = "{'rules':["
      + "{'name':'beta','match':{'tiers':['gold'],'paths':['/orders*'],'headers':{'x-beta':'on'}},"
      + "'destinations':[{'subset':{'version':'v2'},'weight':10},{'subset':{'version':'v1'},'weight':90}]},"
      + "{'name':'gold','match':{'tiers':['gold'],'methods':['GET']},'timeout':'2s',"
      + "'destinations':[{'subset':{'version':'v2','zone':'zone-a'},'weight':50},"
      + "{'subset':{'version':'v1'},'weight':50}]}]%s}";
  private static final Map<String, String> HEADERS = Map.of("x-beta", "on");
  private static final HeaderLookup LOOKUP = HEADERS::get;

  private static com.sun.management.ThreadMXBean threads;
  private static List<Instance> candidates;

  private final LoadBalancer balancer = roundRobin();

  @BeforeAll
  static void setUp() {
    threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    threads.setThreadAllocatedMemoryEnabled(true);
    List<Instance> list = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      list.add(instance("order-" + i, i % 3 == 0 ? "v2" : "v1", i % 2 == 0 ? "zone-a" : "zone-b"));
    }
    candidates = List.copyOf(list);
  }

  private static Router router(String extra) {
    return Router.compile("order", policy("routes", false, RULES.formatted(extra)), "zone-a");
  }

  private interface Call {
    Instance run(int i);
  }

  /** Bytes allocated by {@code calls} runs of {@code call} on this thread, after as many to warm up. */
  private static long allocated(String label, Call call) {
    long sink = 0;
    for (int i = 0; i < CALLS; i++) {
      sink += call.run(i).port();
    }
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      sink += call.run(i).port();
    }
    long nanos = System.nanoTime() - start;
    long bytes = threads.getThreadAllocatedBytes(thread) - before;
    System.out.printf("route %-28s %6.1f ns/pick %8d bytes/%d picks (%d)%n", label, nanos / (double) CALLS, bytes,
        CALLS, sink & 1);
    return bytes;
  }

  private Call call(Router router, String tenant, String tier, String method, String path) {
    return i -> {
      RouteRule rule = router.match(tenant, tier, "web", method, path, LOOKUP);
      return router.pick(rule, tenant, candidates, candidates, balancer, InFlight.NONE);
    };
  }

  @Test
  void none_allocatesNothing() {
    assertThat(allocated("none", call(Router.NONE, "acme", "gold", "GET", "/orders/7"))).isLessThan(4_096);
  }

  @Test
  void noRuleMatches_allocatesNothing() {
    assertThat(allocated("no rule", call(router(""), "acme", "free", "GET", "/orders/7"))).isLessThan(4_096);
  }

  @Test
  void matchedRule_allocatesNothing() {
    Router router = router("");
    assertThat(router.match("acme", "gold", "web", "GET", "/orders/7", LOOKUP).name()).isEqualTo("beta");
    assertThat(allocated("first rule (headers, path)", call(router, "acme", "gold", "GET", "/orders/7")))
        .isLessThan(4_096);
    assertThat(allocated("second rule", call(router, "acme", "gold", "GET", "/users"))).isLessThan(4_096);
  }

  @Test
  void zoneAndAffinity_allocateNothing() {
    Router router = router(",'locality':{},'affinity':{}");
    String[] tenants = {"acme", "globex", "initech", "umbrella"};
    InFlight loads = instance -> instance.id().length() & 3; // varied, fixed loads
    assertThat(allocated("rule + zone + affinity", i -> {
      String tenant = tenants[i & 3];
      RouteRule rule = router.match(tenant, "gold", "web", "GET", "/users", LOOKUP);
      return router.pick(rule, tenant, candidates, candidates, balancer, loads);
    })).isLessThan(4_096);
  }

  @Test
  void freshListOfTheSameInstances_allocatesNothing() {
    // Outlier ejection hands out a new list per call while an instance is ejected: same instances, new object.
    Router router = router(",'locality':{},'affinity':{}");
    List<Instance> eligible = candidates.subList(1, candidates.size()).stream().toList();
    List<Instance> copy = new ArrayList<>(eligible);
    assertThat(allocated("fresh list, same instances", i -> {
      List<Instance> now = (i & 1) == 0 ? eligible : copy;
      RouteRule rule = router.match("acme", "gold", "web", "GET", "/users", LOOKUP);
      return router.pick(rule, "acme", now, candidates, balancer, InFlight.NONE);
    })).isLessThan(4_096);
  }

  @Test
  void dryRun_allocatesNothing() {
    Router router = Router.compile("order", policy("routes", true, RULES.formatted("")), "zone-a");
    assertThat(allocated("dry run", call(router, "acme", "gold", "GET", "/orders/7"))).isLessThan(4_096);
  }
}
