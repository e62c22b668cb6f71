package io.tenantry.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Json;
import io.tenantry.api.Namespace;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.server.MutableClock;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator over an in-memory StatsView, a fake clock and the real H2 store, driven one evaluation at a time. */
class AlertEvaluatorTest {
  static final String HOOK = "https://hooks.example.com/x";

  @TempDir
  Path dataDir;
  final MutableClock clock = new MutableClock();
  final InMemoryStats stats = new InMemoryStats(clock);
  final Map<String, List<Policy>> policies = new ConcurrentHashMap<>();
  final List<AlertEvent> sent = new CopyOnWriteArrayList<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  Store store;
  AlertEvaluator evaluator;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreSettings.h2File(dataDir));
    store.namespaces().insert(new Namespace("shop", "", clock.instant(), 1));
    store.namespaces().insert(new Namespace("other", "", clock.instant(), 1));
    policies.put("shop", List.of());
    policies.put("other", List.of());
    evaluator = newEvaluator();
  }

  @AfterEach
  void close() {
    store.close();
  }

  AlertEvaluator newEvaluator() {
    AlertEvaluator e = new AlertEvaluator(() -> Map.copyOf(policies), stats, store.alerts(), sent::add, clock,
        AlertSettings.DEFAULTS, meters);
    e.restore();
    return e;
  }

  void policy(String ns, String name, String service, boolean dryRun, String spec) {
    JsonNode json;
    try {
      json = Json.newMapper().readTree(spec.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    policies.put(ns, List.of(new Policy(ns, PolicyKind.ALERT, name, service, dryRun, "", json, 1, 1, "k", clock.instant())));
  }

  /** An error-rate rule above 10 % over 1m, with {@code more} fields. */
  static String errors(String more) {
    return "{'rules':[{'name':'errors','metric':'error-rate','above':0.1,'window':'1m'" + more + "}],"
        + "'notifiers':[{'url':'" + HOOK + "'}]}";
  }

  List<AlertEvent> history(String ns) {
    return store.alerts().history(ns, new HistoryQuery(null, null, null, null, null, null, null, Long.MAX_VALUE, 100));
  }

  void tick(Duration d) {
    clock.advance(d);
    evaluator.evaluate();
  }

  @Test
  void firesOnceItHeldForHoldFor_thenResolves() {
    policy("shop", "pay", "payment", false, errors(",'holdFor':'30s'"));
    stats.record("shop", "payment", "acme", 20, 10, 0, 5);

    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state).containsExactly(ActiveAlert.Status.PENDING);
    tick(Duration.ofSeconds(20));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state).containsExactly(ActiveAlert.Status.PENDING);
    assertThat(history("shop")).isEmpty();

    tick(Duration.ofSeconds(10));
    ActiveAlert firing = evaluator.active("shop").get(0);
    assertThat(firing.state()).isEqualTo(ActiveAlert.Status.FIRING);
    assertThat(firing.value()).isEqualTo(0.5);
    assertThat(firing.eventId()).isPositive();
    assertThat(meters.get("tenantry.alerts.firing").gauge().value()).isEqualTo(1);
    assertThat(sent).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
      assertThat(e.value()).isEqualTo(0.5);
      assertThat(e.threshold()).isEqualTo(0.1);
      assertThat(e.calls()).isEqualTo(20);
      assertThat(e.tenant()).isNull();
      assertThat(e.startsAt()).isEqualTo(clock.instant());
      assertThat(e.deliveries()).extracting(AlertEvent.Delivery::url).containsExactly(HOOK);
    });

    tick(Duration.ofSeconds(40)); // the failed calls leave the 1m window
    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop")).extracting(AlertEvent::state, AlertEvent::value)
        .containsExactly(tuple(AlertEvent.State.RESOLVED, 0.0), tuple(AlertEvent.State.FIRING, 0.5));
    assertThat(history("shop").get(0).startsAt()).isEqualTo(history("shop").get(1).startsAt());
    assertThat(sent).hasSize(2);
    assertThat(meters.get("tenantry.alerts.firing").gauge().value()).isZero();
  }

  @Test
  void pendingThatStopsHoldingIsDroppedWithoutAnEvent() {
    policy("shop", "pay", "payment", false, errors(",'holdFor':'30s'"));
    stats.record("shop", "payment", null, 20, 10, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).hasSize(1);

    tick(Duration.ofSeconds(60));

    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop")).isEmpty();
    assertThat(sent).isEmpty();
  }

  @Test
  void noAlertBelowMinCalls() {
    policy("shop", "pay", "payment", false, errors(",'minCalls':10"));
    stats.record("shop", "payment", null, 9, 9, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).isEmpty();

    stats.record("shop", "payment", null, 1, 1, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state, ActiveAlert::calls)
        .containsExactly(tuple(ActiveAlert.Status.FIRING, 10L));
  }

  @Test
  void aFiringAlertOnTooFewCallsToTell_staysFiring_andResolvesOnceClear() {
    policy("shop", "pay", "payment", false, errors(",'minCalls':10"));
    stats.record("shop", "payment", null, 10, 10, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state).containsExactly(ActiveAlert.Status.FIRING);

    // its callers stop sending to it: the old calls leave the window, three new ones all fail
    clock.advance(Duration.ofMinutes(2));
    stats.record("shop", "payment", null, 3, 3, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state, ActiveAlert::calls)
        .containsExactly(tuple(ActiveAlert.Status.FIRING, 3L));
    assertThat(history("shop")).extracting(AlertEvent::state).containsExactly(AlertEvent.State.FIRING);

    // three calls that succeed (the rate falls to a half: still above) change nothing; quiet then clears it
    stats.record("shop", "payment", null, 3, 0, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::state).containsExactly(ActiveAlert.Status.FIRING);
    clock.advance(Duration.ofMinutes(2));
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop")).extracting(AlertEvent::state)
        .containsExactly(AlertEvent.State.RESOLVED, AlertEvent.State.FIRING);
  }

  @Test
  void onlyCallsInTheWindowCount() {
    policy("shop", "pay", "payment", false, errors(",'minCalls':1"));
    stats.record("shop", "payment", null, 100, 100, 0, 5); // long ago
    clock.advance(Duration.ofMinutes(2));
    stats.record("shop", "payment", null, 100, 5, 0, 5); // 5 %: under the threshold

    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).isEmpty();
  }

  @Test
  void eachTenantHasItsOwnAlert() {
    policy("shop", "pay", "payment", false, errors(",'tenant':'*'"));
    stats.record("shop", "payment", "acme", 20, 10, 0, 5);
    stats.record("shop", "payment", "globex", 100, 0, 0, 5);
    stats.record("shop", "payment", "initech", 40, 40, 0, 5);

    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).extracting(ActiveAlert::tenant, ActiveAlert::value)
        .containsExactly(tuple("acme", 0.5), tuple("initech", 1.0));
    assertThat(sent).extracting(AlertEvent::tenant).containsExactlyInAnyOrder("acme", "initech");

    // initech recovers, acme goes quiet: both resolve; the tenant that went quiet too, though it reports no more
    clock.advance(Duration.ofSeconds(61));
    stats.record("shop", "payment", "initech", 40, 0, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop")).filteredOn(e -> e.state() == AlertEvent.State.RESOLVED).extracting(AlertEvent::tenant)
        .containsExactlyInAnyOrder("acme", "initech");
  }

  @Test
  void eachInstanceHasItsOwnAlert_whileTheServiceAsAWholeLooksFine() {
    policies.put("shop", List.of(
        policyOf("by-instance", "payment", "{'rules':[{'name':'errors','metric':'error-rate','above':0.5,'minCalls':5,"
            + "'window':'1m','instance':'*'}],'notifiers':[{'url':'" + HOOK + "'}]}"),
        policyOf("whole", "payment", "{'rules':[{'name':'errors','metric':'error-rate','above':0.1,'minCalls':5,"
            + "'window':'1m'}]}")));
    stats.recordBy("shop", "payment", "payment-1", "acme", 200, 2, 0, 5);
    stats.recordBy("shop", "payment", "payment-2", "acme", 8, 6, 0, 5); // ejected by its callers after a few
    stats.recordBy("shop", "payment", "payment-3", "acme", 3, 3, 0, 5); // below minCalls
    stats.recordBy("shop", "payment", null, "acme", 100, 0, 0, 5); // an SDK that names no instance

    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).extracting(ActiveAlert::policy, ActiveAlert::instance, ActiveAlert::tenant,
        ActiveAlert::value, ActiveAlert::calls).containsExactly(tuple("by-instance", "payment-2", null, 0.75, 8L));
    assertThat(sent).singleElement().satisfies(e -> {
      assertThat(e.instance()).isEqualTo("payment-2");
      assertThat(e.key().instance()).isEqualTo("payment-2");
    });

    // payment-2 is killed: it reports no more, and its alert resolves once its calls leave the window
    clock.advance(Duration.ofSeconds(61));
    stats.recordBy("shop", "payment", "payment-1", "acme", 200, 2, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop")).extracting(AlertEvent::state, AlertEvent::instance).containsExactly(
        tuple(AlertEvent.State.RESOLVED, "payment-2"), tuple(AlertEvent.State.FIRING, "payment-2"));
    assertThat(store.alerts().firing()).isEmpty();
  }

  @Test
  void aNamedInstanceCombinesWithEachTenant_andARuleMovedToAnotherInstanceResolvesTheOldAlerts() {
    policy("shop", "pay", "payment", false, errors(",'instance':'payment-2','tenant':'*','minCalls':1"));
    stats.recordBy("shop", "payment", "payment-1", "acme", 10, 10, 0, 5);
    stats.recordBy("shop", "payment", "payment-2", "acme", 10, 5, 0, 5);
    stats.recordBy("shop", "payment", "payment-2", "globex", 10, 0, 0, 5);
    stats.recordBy("shop", "payment", "payment-2", "initech", 10, 10, 0, 5);

    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::instance, ActiveAlert::tenant, ActiveAlert::value)
        .containsExactly(tuple("payment-2", "acme", 0.5), tuple("payment-2", "initech", 1.0));
    assertThat(evaluator.active("shop").get(0).key())
        .isEqualTo(new AlertKey("shop", "pay", "errors", "payment", "acme", "payment-2"));

    policy("shop", "pay", "payment", false, errors(",'instance':'payment-1','minCalls':1"));
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::instance, ActiveAlert::tenant)
        .containsExactly(tuple("payment-1", null));
    assertThat(history("shop")).filteredOn(e -> e.state() == AlertEvent.State.RESOLVED)
        .extracting(AlertEvent::instance, AlertEvent::tenant)
        .containsExactlyInAnyOrder(tuple("payment-2", "acme"), tuple("payment-2", "initech"));

    // restarted, the evaluator takes the per-instance alert back from the store as it was
    evaluator = newEvaluator();
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::instance, ActiveAlert::state)
        .containsExactly(tuple("payment-1", ActiveAlert.Status.FIRING));
  }

  @Test
  void aNamedTenantAndAllCallsAreEvaluatedApart() {
    policies.put("shop", List.of(
        policyOf("one", "payment", "{'rules':[{'name':'acme-errors','metric':'error-rate','above':0.1,'tenant':'acme','minCalls':1}]}"),
        policyOf("all", "payment", "{'rules':[{'name':'errors','metric':'error-rate','above':0.1,'minCalls':1}]}")));
    stats.record("shop", "payment", "acme", 10, 5, 0, 5);
    stats.record("shop", "payment", "globex", 90, 0, 0, 5);

    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).extracting(ActiveAlert::policy, ActiveAlert::tenant, ActiveAlert::value)
        .containsExactly(tuple("one", "acme", 0.5));
  }

  @Test
  void anyServicePolicyWatchesEveryServiceThatReports_latencyAndRejections() {
    policies.put("shop", List.of(policyOf("every", "*", "{'rules':["
        + "{'name':'slow','metric':'latency','percentile':'p99','above':200,'minCalls':1},"
        + "{'name':'refused','metric':'rejections','above':5,'minCalls':0},"
        + "{'name':'refused-share','metric':'rejection-rate','above':0.5,'minCalls':1}]}")));
    stats.record("shop", "order", null, 10, 0, 0, 500);
    stats.record("shop", "payment", null, 10, 0, 6, 10);
    stats.record("other", "user", null, 10, 10, 10, 900);

    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).extracting(ActiveAlert::rule, ActiveAlert::service)
        .containsExactly(tuple("refused", "payment"), tuple("refused-share", "payment"), tuple("slow", "order"));
    ActiveAlert slow = evaluator.active("shop").get(2);
    assertThat(slow.value()).isGreaterThanOrEqualTo(500);
    assertThat(slow.percentile()).isEqualTo("p99");
    assertThat(evaluator.active("other")).isEmpty();
  }

  @Test
  void dryRunRecordsEventsButSendsNothing() {
    policy("shop", "pay", "payment", true, errors(""));
    stats.record("shop", "payment", null, 20, 10, 0, 5);

    tick(Duration.ofSeconds(1));

    assertThat(history("shop")).singleElement().satisfies(e -> assertThat(e.deliveries()).isEmpty());
    assertThat(sent).isEmpty();
  }

  @Test
  void firingAlertsSurviveARestart_andResolveWhenTheirPolicyIsDeleted() {
    policy("shop", "pay", "payment", false, errors(""));
    stats.record("shop", "payment", null, 20, 10, 0, 5);
    tick(Duration.ofSeconds(1));
    long eventId = evaluator.active("shop").get(0).eventId();

    AlertEvaluator restarted = newEvaluator();
    assertThat(restarted.active("shop")).extracting(ActiveAlert::state, ActiveAlert::eventId)
        .containsExactly(tuple(ActiveAlert.Status.FIRING, eventId));
    evaluator = restarted;
    tick(Duration.ofSeconds(1));
    assertThat(history("shop")).hasSize(1); // still firing: no second firing event

    policies.put("shop", List.of());
    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop").get(0)).satisfies(e -> {
      assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED);
      assertThat(e.deliveries()).extracting(AlertEvent.Delivery::url).as("told where the firing went").containsExactly(HOOK);
    });
    assertThat(store.alerts().firing()).isEmpty();
  }

  @Test
  void aRuleChangedToAnotherTenantResolvesTheOldAlert() {
    policy("shop", "pay", "payment", false, errors(",'tenant':'acme','minCalls':1"));
    stats.record("shop", "payment", "acme", 10, 10, 0, 5);
    tick(Duration.ofSeconds(1));
    assertThat(evaluator.active("shop")).extracting(ActiveAlert::tenant).containsExactly("acme");

    policy("shop", "pay", "payment", false, errors(",'tenant':'globex','minCalls':1"));
    tick(Duration.ofSeconds(1));

    assertThat(evaluator.active("shop")).isEmpty();
    assertThat(history("shop").get(0).state()).isEqualTo(AlertEvent.State.RESOLVED);
  }

  Policy policyOf(String name, String service, String spec) {
    try {
      return new Policy("shop", PolicyKind.ALERT, name, service, false, "",
          Json.newMapper().readTree(spec.replace('\'', '"')), 1, 1, "k", clock.instant());
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
