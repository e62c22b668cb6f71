package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits, quotas and bulkheads at a service's door, over real HTTP: instances of {@code order} behind
 * {@link TenantryHttpFilter} with their own client, called by a {@code web} client through its governed client.
 */
class DoorPolicyIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;
  private TenantryClient web;
  private final java.util.Map<String, TenantryClient> doors = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "premium", "pooled", "active");
    cp.tenant("shop", "globex", "standard", "pooled", "active");
    cp.tenant("shop", "initech", "free", "pooled", "active");
    web = cp.started(cp.client("shop", key, null).serviceName("web"));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  /** An instance of {@code order} whose door is run by a client of its own (as a separate process would). */
  private TestInstance order(String id, TenantryClient.Builder client) throws Exception {
    return order(id, "v1", client);
  }

  private TestInstance order(String id, String version, TenantryClient.Builder client) throws Exception {
    TenantryClient own = cp.started(client.serviceName("order"));
    doors.put(id, own);
    TestInstance i = cp.track(new TestInstance(id, version, own));
    own.register("order", i.spec(null, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> own.instances("order").stream().anyMatch(x -> x.id().equals(id)));
    return i;
  }

  private HttpResponse<String> call(String tenant) throws Exception {
    try (TenantContext.Scope s = TenantContext.enter(tenant)) {
      return web.http().send(HttpRequest.newBuilder(URI.create("http://order/orders")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Waits until a call of {@code tenant} is refused with 429 (up to 50 calls a try): the policy reached the door. */
  private void awaitRefused(String tenant) {
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      for (int i = 0; i < 50; i++) {
        if (call(tenant).statusCode() == 429) {
          return true;
        }
      }
      return false;
    });
  }

  @Test
  void flooder_isRefusedWith429_whileOthersAreUnharmed() throws Exception {
    TestInstance order = order("order-1", cp.client("shop", key, null));
    cp.policy("shop", "rate-limit", "per-tenant", "order", false, "{'limits':[{'name':'per-tenant','by':'tenant',"
        + "'rate':50,'period':'1s','tiers':{'free':{'rate':10}}}]}");
    awaitRefused("initech");
    CopyOnWriteArrayList<CallAttempt> attempts = new CopyOnWriteArrayList<>();
    web.http().addObserver(attempts::add);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicInteger initechOk = new AtomicInteger();
    AtomicInteger initech429 = new AtomicInteger();
    AtomicInteger acmeFailed = new AtomicInteger();
    AtomicInteger acmeOk = new AtomicInteger();
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    // initech at ~100/s, ten times its tier's 10/s; acme at ~20/s, under its 50/s
    CompletableFuture<?> flood = CompletableFuture.runAsync(() -> paced(end, 100, () -> {
      int s = call("initech").statusCode();
      (s == 429 ? initech429 : s == 200 ? initechOk : acmeFailed).incrementAndGet();
    }), pool);
    CompletableFuture<?> normal = CompletableFuture.runAsync(() -> paced(end, 20, () -> {
      (call("acme").statusCode() == 200 ? acmeOk : acmeFailed).incrementAndGet();
    }), pool);
    CompletableFuture.allOf(flood, normal).get();
    pool.shutdown();
    assertThat(acmeFailed.get()).isZero();
    assertThat(acmeOk.get()).isGreaterThan(40);
    // 3 s at 10/s with a burst of 10 (less what the await spent) admits about 40: allow timing slack
    assertThat(initechOk.get()).isBetween(20, 55);
    assertThat(initech429.get()).isGreaterThan(200);
    // a 429 is the callee's answer: never retried
    assertThat(attempts).allSatisfy(a -> assertThat(a.attempt()).isEqualTo(1));
    assertThat(order.count()).isGreaterThanOrEqualTo(initechOk.get() + acmeOk.get());
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void paced(long endNanos, int perSecond, Step step) {
    long interval = 1_000_000_000L / perSecond;
    long next = System.nanoTime();
    while (System.nanoTime() < endNanos) {
      try {
        step.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
  }

  @Test
  void localShare_dividesByTheInstancesOfItsPool_notTheDedicatedOnes() throws Exception {
    cp.tenant("shop", "umbrella", "standard", "siloed", "active");
    order("order-1", cp.client("shop", key, null));
    TenantryClient dedicatedClient = cp.started(cp.client("shop", key, null).serviceName("order"));
    TestInstance dedicated = cp.track(new TestInstance("order-umbrella", "v1", dedicatedClient));
    dedicatedClient.register("order", dedicated.spec("umbrella", 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> doors.get("order-1").instances("order").size() == 2
        && web.instances("order").size() == 2);
    cp.policy("shop", "rate-limit", "per-tenant", "order", false, "{'limits':[{'name':'per-tenant','rate':20,"
        + "'period':'1h'}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> doors.get("order-1").policyEffects().stream()
        .anyMatch(e -> e.kind().equals("rate-limit")));
    // globex (pooled) reaches only order-1: its share is the whole limit, not half of it
    int admitted = 0;
    while (admitted < 100 && call("globex").statusCode() == 200) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(20);
  }

  @Test
  void refusal_says_whichLimit_andWhenToComeBack() throws Exception {
    order("order-1", cp.client("shop", key, null));
    cp.policy("shop", "rate-limit", "order-limits", "order", false, "{'limits':[{'name':'per-tenant',"
        + "'rate':1,'period':'1m'}]}");
    awaitRefused("globex");
    HttpResponse<String> r = call("globex");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    JsonNode problem = new ObjectMapper().readTree(r.body());
    assertThat(problem.get("type").asText()).endsWith("rate-limited");
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("detail").asText()).contains("globex").contains("per-tenant").contains("order-limits");
    assertThat(call("acme").statusCode()).isEqualTo(200); // its own bucket
  }

  @Test
  void quota_capsATiersCalls_perWindow() throws Exception {
    order("order-1", cp.client("shop", key, null));
    cp.policy("shop", "quota", "plans", "order", false, "{'quotas':[{'name':'daily','by':'tenant','limit':1000,"
        + "'window':'1d','tiers':{'free':5}}]}");
    awaitRefused("initech");
    HttpResponse<String> r = call("initech");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(new ObjectMapper().readTree(r.body()).get("type").asText()).endsWith("quota-exceeded");
    for (int i = 0; i < 20; i++) {
      assertThat(call("globex").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void bulkhead_capsOneTenantsConcurrentCalls_notOthers() throws Exception {
    TestInstance order = order("order-1", cp.client("shop", key, null));
    cp.policy("shop", "resilience", "order", "order", false, "{'bulkhead':{'maxConcurrent':10,'tenants':{'initech':1}}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> web.tenant("initech").isPresent()); // web knows the tenants
    order.holdAnswers();
    CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
      try {
        return call("initech");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> order.count() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
        try {
          return call("initech").statusCode();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      return second.get() == 429;
    });
    CompletableFuture<Integer> acme = CompletableFuture.supplyAsync(() -> {
      try {
        return call("acme").statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> order.count() >= 2); // acme got in while initech is full
    order.release();
    assertThat(held.get().statusCode()).isEqualTo(200);
    assertThat(acme.get()).isEqualTo(200);
  }

  @Test
  void dryRun_countsWouldBeRefusals_refusesNothing() throws Exception {
    TenantryClient own = cp.started(cp.client("shop", key, null).serviceName("order"));
    TestInstance i = cp.track(new TestInstance("order-1", "v1", own));
    own.register("order", i.spec(null, 30));
    cp.policy("shop", "rate-limit", "trial", "order", true, "{'limits':[{'name':'tiny','rate':1,'period':'1m'}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !own.policyEffects().isEmpty());
    for (int i2 = 0; i2 < 10; i2++) {
      assertThat(call("globex").statusCode()).isEqualTo(200);
    }
    assertThat(own.policyEffects()).filteredOn(e -> e.kind().equals("rate-limit")).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("trial/tiny");
      assertThat(e.dryRun()).isTrue();
      assertThat(e.count("wouldRefuse")).isGreaterThanOrEqualTo(9);
      assertThat(e.count("refused")).isZero();
    });
  }

  @Test
  void clusterMode_sharesOneLimitAcrossInstances_onRedis() throws Exception {
    URI redis = URI.create("redis://127.0.0.1:6379");
    TestInstance a = order("order-1", "v1", cp.client("shop", key, null).clusterLimits(redis));
    TestInstance b = order("order-2", "v2", cp.client("shop", key, null).clusterLimits(redis));
    await().atMost(Duration.ofSeconds(5)).until(() -> web.instances("order").size() == 2);
    // every call to order-1 only: in local mode it would enforce its share (10 of 20), in cluster mode all 20
    cp.policy("shop", "route", "pin", "order", false, "{'rules':[{'name':'v1','destinations':[{'subset':{'version':'v1'}}]}]}");
    String tenant = "t" + Long.toHexString(System.nanoTime()); // a tenant of its own: Redis outlives the test
    cp.tenant("shop", tenant, "standard", "pooled", "active");
    cp.policy("shop", "rate-limit", "shared", "order", false, "{'mode':'cluster','limits':[{'name':'per-tenant',"
        + "'rate':20,'period':'1h'}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> web.tenant(tenant).isPresent()
        && doors.values().stream().allMatch(d -> d.policyEffects().stream().anyMatch(e -> e.kind().equals("rate-limit"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      call("acme");
      return web.policyEffects().stream().anyMatch(e -> e.kind().equals("route"));
    });
    int admitted = 0;
    int refused = 0;
    while (refused == 0 && admitted < 100) {
      int s = call(tenant).statusCode();
      if (s == 200) {
        admitted++;
      } else if (s == 429) {
        refused++;
      }
    }
    assertThat(admitted).isBetween(19, 22); // 20, plus what the delaying sync may let through between syncs
    assertThat(b.count()).isZero();
  }
}
