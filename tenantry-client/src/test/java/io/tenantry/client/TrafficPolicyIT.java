package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route and resilience policies pushed by the control plane and obeyed by a calling SDK, over real HTTP: real
 * JDK servers registered as instances of {@code payment}, an {@code order} client calling them.
 */
class TrafficPolicyIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private TenantryClient payment;
  private TenantryClient order;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "premium", "pooled", "active");
    cp.tenant("shop", "globex", "standard", "pooled", "active");
    payment = cp.started(cp.client("shop", key, null).serviceName("payment"));
    order = cp.started(cp.client("shop", key, null).serviceName("order"));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private TestInstance instance(String id, String version) throws Exception {
    TestInstance i = cp.track(new TestInstance(id, version, null));
    payment.register("payment", i.spec(null, 30));
    return i;
  }

  private HttpResponse<String> call(String tenant) throws Exception {
    try (TenantContext.Scope s = TenantContext.enter(tenant)) {
      return order.http().send(HttpRequest.newBuilder(URI.create("http://payment/pay")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private void awaitInstances(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> order.instances("payment").size() == n);
  }

  @Test
  void canary_takesItsShareOfOneTier_only() throws Exception {
    TestInstance v1a = instance("payment-1", "v1");
    TestInstance v1b = instance("payment-2", "v1");
    TestInstance v2 = instance("payment-canary", "v2");
    awaitInstances(3);
    cp.policy("shop", "route", "canary", "payment", false, "{'rules':["
        + "{'name':'standard-canary','match':{'tiers':['standard']},'destinations':["
        + "{'subset':{'version':'v2'},'weight':10},{'subset':{'version':'v1'},'weight':90}]},"
        + "{'name':'stable','destinations':[{'subset':{'version':'v1'}}]}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      call("globex");
      return v2.count() > 0;
    });
    int before = v2.count();
    int n = 2000;
    for (int i = 0; i < n; i++) {
      assertThat(call("globex").statusCode()).isEqualTo(200);
    }
    double share = (v2.count() - before) / (double) n;
    assertThat(share).isBetween(0.06, 0.14); // 10% ± more than 4 standard deviations
    int canaryBefore = v2.count();
    for (int i = 0; i < 300; i++) {
      assertThat(call("acme").body()).isIn("payment-1", "payment-2");
    }
    assertThat(v2.count()).isEqualTo(canaryBefore);
    assertThat(v1a.count()).isPositive();
    assertThat(v1b.count()).isPositive();
  }

  @Test
  void blueGreenSwitch_underLoad_failsNoCall_andReachesTheClientFast() throws Exception {
    TestInstance blue = instance("payment-blue", "blue");
    TestInstance green = instance("payment-green", "green");
    awaitInstances(2);
    cp.policy("shop", "route", "color", "payment", false,
        "{'rules':[{'name':'live','destinations':[{'subset':{'version':'blue'}}]}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      int g = green.count();
      call("globex");
      call("globex");
      return green.count() == g;
    });
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger made = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String tenant = t % 2 == 0 ? "acme" : "globex";
      loops.add(pool.submit(() -> {
        while (running.get()) {
          try {
            if (call(tenant).statusCode() != 200) {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
          made.incrementAndGet();
        }
        return null;
      }));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> made.get() > 200);
    long switched = System.nanoTime();
    cp.policy("shop", "route", "color", "payment", false,
        "{'rules':[{'name':'live','destinations':[{'subset':{'version':'green'}}]}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> green.count() > 0);
    long reached = System.nanoTime() - switched;
    int blueAfter = blue.count();
    int madeAt = made.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> made.get() > madeAt + 200);
    running.set(false);
    for (Future<?> f : loops) {
      f.get();
    }
    pool.shutdown();
    assertThat(failed.get()).isZero();
    assertThat(blue.count() - blueAfter).isLessThanOrEqualTo(4); // at most the calls in flight at the switch
    assertThat(Duration.ofNanos(reached)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void emptySubset_failsClearly_orFallsBack_asTheRuleSays() throws Exception {
    instance("payment-1", "v1");
    awaitInstances(1);
    cp.policy("shop", "route", "gray", "payment", false, "{'rules':[{'name':'gray','match':{'tenants':['globex']},"
        + "'destinations':[{'subset':{'version':'v9'}}]}]}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> call("globex"))
        .isInstanceOf(NoInstanceAvailableException.class).hasMessageContaining("gray").hasMessageContaining("v9"));
    assertThat(call("acme").statusCode()).isEqualTo(200);
    cp.policy("shop", "route", "gray", "payment", false, "{'rules':[{'name':'gray','match':{'tenants':['globex']},"
        + "'destinations':[{'subset':{'version':'v9'}}],'onEmpty':'fallback'}]}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(call("globex").statusCode()).isEqualTo(200));
  }

  @Test
  void serviceFailingEverything_receivesRetriesWithinTheBudget() throws Exception {
    TestInstance a = instance("payment-1", "v1").answer(503);
    TestInstance b = instance("payment-2", "v1").answer(503);
    awaitInstances(2);
    cp.policy("shop", "resilience", "payment", "payment", false,
        "{'retry':{'maxAttempts':3,'budgetPercent':20,'minRetriesPerSecond':0,'backoff':'0ms','maxBackoff':'0ms'}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      int before = a.count() + b.count();
      call("globex");
      return a.count() + b.count() - before == 1; // the policy's zero floor: the first call gets no retry
    });
    int before = a.count() + b.count();
    int calls = 500;
    for (int i = 0; i < calls; i++) {
      assertThat(call("globex").statusCode()).isEqualTo(503);
    }
    int received = a.count() + b.count() - before;
    assertThat(received).isGreaterThanOrEqualTo(calls).isLessThanOrEqualTo((int) (calls * 1.2) + 2);
  }

  @Test
  void circuitBreaker_opens_andFailsFast() throws Exception {
    TestInstance a = instance("payment-1", "v1").answer(503);
    awaitInstances(1);
    cp.policy("shop", "resilience", "payment", "payment", false, "{'retry':{'maxAttempts':1},"
        + "'circuitBreaker':{'window':10,'minimumCalls':5,'failureRatePercent':50,'openFor':'30s'}}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> call("globex"))
        .isInstanceOf(CallNotPermittedException.class).hasMessageContaining("payment"));
    int seen = a.count();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> call("globex")).isInstanceOf(CallNotPermittedException.class);
    }
    assertThat(a.count()).isEqualTo(seen);
  }

  @Test
  void failingInstance_isEjected_andComesBackWhenHealthy() throws Exception {
    TestInstance sick = instance("payment-1", "v1").answer(503);
    TestInstance well = instance("payment-2", "v1");
    awaitInstances(2);
    cp.policy("shop", "resilience", "payment", "payment", false,
        "{'outlierDetection':{'consecutiveFailures':3,'baseEjection':'2s','maxEjectedPercent':50}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      call("globex"); // GET: retried on the other instance
      int s = sick.count();
      for (int i = 0; i < 20; i++) {
        assertThat(call("globex").statusCode()).isEqualTo(200);
      }
      return sick.count() == s; // ejected: 20 calls and none reached it
    });
    sick.answer(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      int s = sick.count();
      call("globex");
      return sick.count() > s;
    });
    assertThat(well.count()).isPositive();
  }
}
