package io.tenantry.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Json;
import io.tenantry.api.Namespace;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.server.MutableClock;
import io.tenantry.server.store.JdbcStore;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane nodes on one PostgreSQL schema (the real server at 127.0.0.1:5432): one evaluates and
 * notifies, the other shows what it stored, and takes over when the first goes away.
 */
class AlertLeaderIT {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  final String schema = "leader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  final MutableClock clock = new MutableClock();
  final InMemoryStats stats = new InMemoryStats(clock);
  final List<AlertEvent> sentByFirst = new CopyOnWriteArrayList<>();
  final List<AlertEvent> sentBySecond = new CopyOnWriteArrayList<>();
  Store first;
  Store second;
  Map<String, List<Policy>> policies;

  @BeforeEach
  void open() throws Exception {
    first = JdbcStore.open(new StoreSettings(URL, "postgres", "", schema, 3));
    second = JdbcStore.open(new StoreSettings(URL, "postgres", "", schema, 3));
    first.namespaces().insert(new Namespace("shop", "", clock.instant(), 1));
    policies = Map.of("shop", List.of(new Policy("shop", PolicyKind.ALERT, "pay", "payment", false, "",
        Json.newMapper().readTree("{\"rules\":[{\"name\":\"errors\",\"metric\":\"error-rate\",\"above\":0.1}],"
            + "\"notifiers\":[{\"url\":\"https://hooks.example.com/x\"}]}"), 1, 1, "k", clock.instant())));
  }

  @AfterEach
  void close() throws Exception {
    first.close();
    second.close();
    try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  AlertEvaluator evaluator(Store store, List<AlertEvent> sent) {
    return new AlertEvaluator(() -> policies, stats, store.alerts(), sent::add, clock, AlertSettings.DEFAULTS,
        new SimpleMeterRegistry());
  }

  @Test
  void oneNodeEvaluates_theOtherShowsItsAlerts_andTakesOverWhenItGoes() {
    AlertEvaluator a = evaluator(first, sentByFirst);
    AlertEvaluator b = evaluator(second, sentBySecond);
    stats.record("shop", "payment", null, 20, 10, 0, 5);

    a.evaluate();
    b.evaluate();

    assertThat(sentByFirst).hasSize(1);
    assertThat(sentBySecond).isEmpty();
    assertThat(b.active("shop")).extracting(ActiveAlert::state, ActiveAlert::eventId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ActiveAlert.Status.FIRING, sentByFirst.get(0).id()));

    first.close(); // the first node goes away: its lock with it
    clock.advance(Duration.ofMinutes(10)); // the failures leave the window
    b.evaluate();

    assertThat(sentBySecond).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED);
      assertThat(e.startsAt()).isEqualTo(sentByFirst.get(0).startsAt());
    });
    assertThat(b.active("shop")).isEmpty();
  }
}
