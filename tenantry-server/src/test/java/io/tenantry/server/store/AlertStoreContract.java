package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.alert.AlertEvent;
import io.tenantry.server.alert.AlertEvent.Delivery;
import io.tenantry.server.alert.AlertEvent.DeliveryStatus;
import io.tenantry.server.alert.AlertEvent.State;
import io.tenantry.server.alert.HistoryQuery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AlertStore}, run against every implementation (H2 and PostgreSQL): events with their
 * deliveries, the firing set, history pages and filters, retention.
 */
abstract class AlertStoreContract {
  static final Instant T0 = StoreContract.T0;

  Store store;

  abstract Store openFresh();

  /** The same data as the store last opened by {@link #openFresh}, opened again. */
  abstract Store reopen();

  void cleanUp() {}

  @BeforeEach
  void open() {
    store = openFresh();
    store.namespaces().insert(StoreContract.ns("shop"));
    store.namespaces().insert(StoreContract.ns("other"));
  }

  @AfterEach
  void close() {
    store.close();
    cleanUp();
  }

  static AlertEvent event(String ns, String rule, String tenant, State state, int second, String... urls) {
    return event(ns, rule, tenant, null, state, second, urls);
  }

  static AlertEvent event(String ns, String rule, String tenant, String instance, State state, int second,
      String... urls) {
    Instant at = T0.plusSeconds(second);
    List<Delivery> deliveries = java.util.Arrays.stream(urls)
        .map(u -> new Delivery(u, DeliveryStatus.PENDING, 0, null, at)).toList();
    return new AlertEvent(0, ns, "payment-alerts", rule, "payment", tenant, instance, state,
        AlertSpec.Severity.CRITICAL, AlertSpec.Metric.LATENCY, "p99.9", 812.5, 800, 42, "1m", T0, at, deliveries);
  }

  static HistoryQuery all(int limit) {
    return new HistoryQuery(null, null, null, null, null, null, null, Long.MAX_VALUE, limit);
  }

  @Test
  void append_roundTripsEveryField_withDeliveries() {
    AlertEvent stored = store.alerts().append(event("shop", "slow", "acme", State.FIRING, 5, "https://a/x", "http://b/ö"));

    assertThat(stored.id()).isPositive();
    List<AlertEvent> got = store.alerts().history("shop", all(10));
    assertThat(got).containsExactly(stored);
    assertThat(got.get(0).deliveries()).extracting(Delivery::url).containsExactly("https://a/x", "http://b/ö");
    assertThat(got.get(0).percentile()).isEqualTo("p99.9");
    assertThat(store.alerts().history("other", all(10))).isEmpty();
  }

  @Test
  void firing_followsFiredAndResolved_andSurvivesReopen() {
    AlertEvent acme = store.alerts().append(event("shop", "slow", "acme", State.FIRING, 1));
    AlertEvent all = store.alerts().append(event("shop", "slow", null, State.FIRING, 2));
    store.alerts().append(event("other", "slow", "acme", State.FIRING, 3));
    store.alerts().append(event("other", "slow", "acme", State.RESOLVED, 4));

    assertThat(store.alerts().firing()).containsExactly(acme, all);

    store.close();
    store = reopen();
    assertThat(store.alerts().firing()).containsExactly(acme, all);
    store.alerts().append(event("shop", "slow", "acme", State.RESOLVED, 5));
    assertThat(store.alerts().firing()).containsExactly(all);
  }

  @Test
  void aLaterFiringEventReplacesTheEarlierOneOfTheSameAlert() {
    store.alerts().append(event("shop", "slow", "acme", State.FIRING, 1));
    AlertEvent again = store.alerts().append(event("shop", "slow", "acme", State.FIRING, 2));

    assertThat(store.alerts().firing()).containsExactly(again);
  }

  @Test
  void delivery_recordsTheOutcome() {
    AlertEvent e = store.alerts().append(event("shop", "slow", null, State.FIRING, 1, "https://a/x", "https://b/y"));
    Delivery failed = new Delivery("https://b/y", DeliveryStatus.FAILED, 5, "HTTP 503 " + "x".repeat(1000), T0.plusSeconds(9));

    assertThat(store.alerts().delivery(e.id(), 1, failed)).isTrue();
    assertThat(store.alerts().delivery(e.id() + 1000, 0, failed)).isFalse();

    Delivery got = store.alerts().history("shop", all(1)).get(0).deliveries().get(1);
    assertThat(got.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(got.attempts()).isEqualTo(5);
    assertThat(got.error()).startsWith("HTTP 503 ").hasSizeLessThanOrEqualTo(512);
    assertThat(got.updatedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(store.alerts().history("shop", all(1)).get(0).deliveries().get(0).status()).isEqualTo(DeliveryStatus.PENDING);
  }

  @Test
  void history_pagesNewestFirst_andFilters() {
    AlertEvent a = store.alerts().append(event("shop", "slow", "acme", State.FIRING, 1));
    AlertEvent b = store.alerts().append(event("shop", "errors", "globex", State.FIRING, 2));
    AlertEvent c = store.alerts().append(event("shop", "slow", "acme", State.RESOLVED, 3));

    assertThat(store.alerts().history("shop", all(2))).containsExactly(c, b);
    assertThat(store.alerts().history("shop", new HistoryQuery(null, null, null, null, null, null, null, b.id(), 2)))
        .containsExactly(a);
    assertThat(store.alerts().history("shop", new HistoryQuery(null, "acme", null, null, null, null, null, Long.MAX_VALUE, 9)))
        .containsExactly(c, a);
    assertThat(store.alerts().history("shop", new HistoryQuery("payment", null, null, AlertSpec.Severity.CRITICAL,
        "payment-alerts", "slow", State.RESOLVED, Long.MAX_VALUE, 9))).containsExactly(c);
    assertThat(store.alerts().history("shop", new HistoryQuery("order", null, null, null, null, null, null, Long.MAX_VALUE, 9)))
        .isEmpty();
    assertThat(store.alerts().history("shop", new HistoryQuery(null, null, null, AlertSpec.Severity.INFO, null, null, null,
        Long.MAX_VALUE, 9))).isEmpty();
  }

  @Test
  void eachInstanceIsAnAlertOfItsOwn_keptApartFromAllInstances_andFilteredBy() {
    AlertEvent all = store.alerts().append(event("shop", "errors", null, State.FIRING, 1));
    AlertEvent two = store.alerts().append(event("shop", "errors", null, "payment-2", State.FIRING, 2));
    String longId = "Payment-3.eu_1:" + "x".repeat(113); // the longest instance id: 128 characters
    AlertEvent three = store.alerts().append(event("shop", "errors", "acme", longId, State.FIRING, 3));

    assertThat(store.alerts().firing()).containsExactly(all, two, three);
    assertThat(store.alerts().history("shop", all(10)).get(0).instance()).isEqualTo(longId);
    store.alerts().append(event("shop", "errors", null, "payment-2", State.RESOLVED, 4));
    assertThat(store.alerts().firing()).containsExactly(all, three);
    store.close();
    store = reopen();
    assertThat(store.alerts().firing()).containsExactly(all, three);
    assertThat(store.alerts().history("shop", new HistoryQuery(null, null, "payment-2", null, null, null, null,
        Long.MAX_VALUE, 9))).extracting(AlertEvent::instance, AlertEvent::state)
        .containsExactly(tuple("payment-2", State.RESOLVED), tuple("payment-2", State.FIRING));
    assertThat(store.alerts().history("shop", new HistoryQuery(null, "acme", longId, null, null, null, null,
        Long.MAX_VALUE, 9))).containsExactly(three);
  }

  @Test
  void prune_byAgeAndCount_keepsWhatIsFiring() {
    AlertEvent stillFiring = store.alerts().append(event("shop", "a", null, State.FIRING, 1));
    store.alerts().append(event("shop", "b", null, State.FIRING, 2));
    store.alerts().append(event("shop", "b", null, State.RESOLVED, 3));
    AlertEvent recent1 = store.alerts().append(event("shop", "c", null, State.FIRING, 100));
    AlertEvent recent2 = store.alerts().append(event("shop", "c", null, State.RESOLVED, 101));
    AlertEvent otherNs = store.alerts().append(event("other", "a", null, State.RESOLVED, 102));

    assertThat(store.alerts().prune(T0.plusSeconds(50), 1000)).isEqualTo(2);
    assertThat(store.alerts().history("shop", all(10))).containsExactly(recent2, recent1, stillFiring);

    assertThat(store.alerts().prune(T0, 1)).isEqualTo(1);
    assertThat(store.alerts().history("shop", all(10))).containsExactly(recent2, stillFiring);
    assertThat(store.alerts().history("other", all(10))).containsExactly(otherNs);
    assertThat(store.alerts().firing()).containsExactly(stillFiring);
  }

  @Test
  void eventOfMissingNamespaceIsRefused_andNamespaceDeleteTakesAlertsAlong() {
    assertThatThrownBy(() -> store.alerts().append(event("nowhere", "a", null, State.FIRING, 1)))
        .isInstanceOf(ParentGoneException.class);

    store.alerts().append(event("shop", "a", null, State.FIRING, 1, "https://a/x"));
    store.namespaces().delete("shop");

    assertThat(store.alerts().firing()).isEmpty();
    assertThat(store.alerts().history("shop", all(10))).isEmpty();
  }
}
