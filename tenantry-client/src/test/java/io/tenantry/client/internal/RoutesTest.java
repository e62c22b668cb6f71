package io.tenantry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes must choose exactly what CandidateSelector (the reference rules) chooses, from a list built once. */
class RoutesTest {
  private static Instance instance(String id, InstanceStatus status, String tenant) {
    return new Instance("shop", "payment", id, "127.0.0.1", 9000, "1", "z", 100, status, Map.of(), tenant, 30, 1);
  }

  private static Tenant tenant(String id, Isolation isolation) {
    return new Tenant("shop", id, "standard", TenantStatus.ACTIVE, isolation, Map.of(), 1);
  }

  @Test
  void agreesWithTheSelectorForEveryTenantKind() {
    List<Instance> all = List.of(instance("a", InstanceStatus.UP, null), instance("b", InstanceStatus.DRAINING, null),
        instance("c", InstanceStatus.UP, "acme"), instance("d", InstanceStatus.DOWN, "acme"),
        instance("e", InstanceStatus.DOWN, "initech"), instance("f", InstanceStatus.UP, null));
    Routes routes = new Routes(all);
    List<String> ids = Arrays.asList(null, "acme", "initech", "globex");
    List<Tenant> records = new ArrayList<>(Arrays.asList((Tenant) null));
    for (String id : List.of("acme", "initech", "globex")) {
      records.add(tenant(id, Isolation.SILOED));
      records.add(tenant(id, Isolation.POOLED));
    }
    int checked = 0;
    for (String id : ids) {
      for (Tenant record : records) {
        if (record != null && !record.id().equals(id)) {
          continue;
        }
        assertThat(routes.candidates(id, record)).as("tenant %s, record %s", id, record)
            .containsExactlyElementsOf(CandidateSelector.select(all, id, record));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(10);
  }

  @Test
  void servesTheSameListOnEveryCall() {
    Routes routes = new Routes(List.of(instance("a", InstanceStatus.UP, null), instance("c", InstanceStatus.UP, "acme")));
    assertThat(routes.candidates("globex", null)).isSameAs(routes.candidates(null, null));
    assertThat(routes.candidates("acme", null)).isSameAs(routes.candidates("acme", tenant("acme", Isolation.SILOED)));
    assertThat(routes.candidates("acme", null)).extracting(Instance::id).containsExactly("c");
    assertThat(routes.candidates("acme", tenant("acme", Isolation.POOLED))).extracting(Instance::id)
        .containsExactly("a");
  }

  @Test
  void aCacheSwapBuildsNewRoutes() {
    ServiceCache cache = new ServiceCache("payment", new EmptyPushGuard(0.0, java.time.Duration.ofMinutes(1)),
        java.time.Clock.systemUTC(), new Counters());
    cache.applyList(1, List.of(instance("a", InstanceStatus.UP, null)), false);
    Routes first = cache.routes();
    assertThat(first.all()).isSameAs(cache.served());
    cache.applyEvent(io.tenantry.api.EventType.ADDED, instance("b", InstanceStatus.UP, null), 2, null);
    assertThat(cache.routes()).isNotSameAs(first);
    assertThat(cache.routes().candidates(null, null)).extracting(Instance::id).containsExactly("a", "b");
  }

  @Test
  void targetsRewriteEachLogicalUriExactly_reusingTheLastOneOnlyForTheSameEndpoint() {
    Instance a = instance("a", InstanceStatus.UP, null);
    Routes routes = new Routes(List.of(a));
    java.net.URI first = routes.target(a, java.net.URI.create("http://payment/pay?x=1"));
    assertThat(first).hasToString("http://127.0.0.1:9000/pay?x=1");
    assertThat(routes.target(a, java.net.URI.create("http://payment/pay?x=1"))).isSameAs(first);
    assertThat(routes.target(a, java.net.URI.create("http://payment/pay?x=2"))).hasToString("http://127.0.0.1:9000/pay?x=2");
    assertThat(routes.target(a, java.net.URI.create("http://payment/pay"))).hasToString("http://127.0.0.1:9000/pay");
    assertThat(routes.target(a, java.net.URI.create("HTTPS://payment"))).hasToString("https://127.0.0.1:9000/");
    assertThat(routes.target(a, java.net.URI.create("http://payment/a%2Fb?q=%20#frag")))
        .hasToString("http://127.0.0.1:9000/a%2Fb?q=%20");
    assertThat(routes.target(a, java.net.URI.create("http://payment/a%2fb?q=%20")))
        .hasToString("http://127.0.0.1:9000/a%2fb?q=%20");
    Instance stranger = new Instance("shop", "payment", "z", "::1", 9100, "1", "z", 100, InstanceStatus.UP, Map.of(),
        null, 30, 1);
    assertThat(routes.target(stranger, java.net.URI.create("http://payment/pay"))).hasToString("http://[::1]:9100/pay");
  }
}
