package io.tenantry.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.stats.LatencyBuckets;
import io.tenantry.api.stats.Red;
import io.tenantry.api.stats.StatsEntry;
import io.tenantry.api.stats.StatsPage;
import io.tenantry.api.stats.StatsReport;
import io.tenantry.api.stats.StatsRow;
import io.tenantry.server.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsStoreTest {
  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final StatsStore store = new StatsStore(StatsSettings.DEFAULT, clock, meters);

  /** {@code calls} calls served for {@code tenant}, all with latency {@code micros}. */
  private static StatsEntry served(String tenant, long calls, long errors, long rejections, long micros) {
    long[] h = new long[LatencyBuckets.COUNT];
    h[LatencyBuckets.bucketOf(micros)] = calls - rejections;
    return new StatsEntry(null, tenant, calls, errors, rejections, 0, h);
  }

  private static StatsEntry called(String service, String tenant, long calls, long retries, long errors) {
    long[] h = new long[LatencyBuckets.COUNT];
    h[LatencyBuckets.bucketOf(2_000)] = calls + retries;
    return new StatsEntry(service, tenant, calls, errors, 0, retries, h);
  }

  private void report(String service, StatsEntry... served) {
    store.accept("shop", new StatsReport(service, "i-1", List.of(served), List.of()));
  }

  @Test
  void served_sumsTheInstancesReports_perTenant_overTheWindow() {
    report("order", served("acme", 10, 1, 0, 1_000), served("globex", 5, 0, 2, 1_000));
    report("order", served("acme", 30, 2, 0, 1_000)); // another instance, same slot
    clock.advance(Duration.ofSeconds(10));
    report("order", served("acme", 60, 3, 6, 1_000));

    StatsTotals acme = store.served("shop", "order", "acme", Duration.ofMinutes(1));
    assertThat(acme.calls()).isEqualTo(100);
    assertThat(acme.errors()).isEqualTo(6);
    assertThat(acme.rejections()).isEqualTo(6);
    assertThat(acme.errorRate()).isEqualTo(6.0 / 94);
    assertThat(acme.latency().total()).isEqualTo(94);
    assertThat(store.served("shop", "order", null, Duration.ofMinutes(1)).calls()).isEqualTo(105);
    assertThat(store.services("shop", Duration.ofMinutes(1))).containsExactly("order");
    assertThat(store.tenants("shop", "order", Duration.ofMinutes(1))).containsExactly("acme", "globex");
  }

  @Test
  void window_readsOnlyTheSlotsItCovers() {
    report("order", served("acme", 7, 0, 0, 500));
    clock.advance(Duration.ofSeconds(30));
    report("order", served("acme", 3, 0, 0, 500));

    assertThat(store.served("shop", "order", "acme", Duration.ofSeconds(10)).calls()).isEqualTo(3);
    assertThat(store.served("shop", "order", "acme", Duration.ofSeconds(30)).calls()).isEqualTo(3);
    assertThat(store.served("shop", "order", "acme", Duration.ofSeconds(40)).calls()).isEqualTo(10);
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.served("shop", "order", "acme", Duration.ofMinutes(1))).isEqualTo(StatsTotals.EMPTY);
    assertThat(store.services("shop", Duration.ofMinutes(1))).isEmpty();
    assertThat(store.served("shop", "order", "acme", Duration.ofMinutes(5)).calls()).isEqualTo(10);
  }

  @Test
  void retention_forgetsOlderSlots_andGivesTheirCellsBack() {
    report("order", served("acme", 7, 0, 0, 500));
    // one cell for the service's instances together, one for instance i-1
    assertThat(meters.get("tenantry.stats.cells").gauge().value()).isEqualTo(2);
    clock.advance(Duration.ofHours(1));
    report("order", served("globex", 1, 0, 0, 500));
    assertThat(store.served("shop", "order", "acme", Duration.ofHours(1))).isEqualTo(StatsTotals.EMPTY);
    assertThat(store.servedBy("shop", "order", "i-1", "acme", Duration.ofHours(1))).isEqualTo(StatsTotals.EMPTY);
    assertThat(store.served("shop", "order", "globex", Duration.ofHours(1)).calls()).isEqualTo(1);
    assertThat(meters.get("tenantry.stats.cells").gauge().value()).isEqualTo(2);
    store.dropNamespace("shop");
    assertThat(meters.get("tenantry.stats.cells").gauge().value()).isZero();
    assertThat(store.services("shop", Duration.ofHours(1))).isEmpty();
  }

  @Test
  void caps_dropWhatExceedsThem_andCountIt() {
    StatsStore small = new StatsStore(new StatsSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), 3, 5), clock,
        meters);
    List<StatsEntry> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add(served("t" + i, 1, 0, 0, 500));
    }
    assertThat(small.accept("shop", new StatsReport("order", null, many, List.of()))).isEqualTo(7); // 3 per slot
    clock.advance(Duration.ofSeconds(10));
    assertThat(small.accept("other", new StatsReport("order", null, many, List.of()))).isEqualTo(8); // 5 in all
    assertThat(small.tenants("shop", "order", Duration.ofMinutes(1))).containsExactly("t0", "t1", "t2");
    assertThat(small.tenants("other", "order", Duration.ofMinutes(1))).containsExactly("t0", "t1");
    assertThat(meters.get("tenantry.stats.entries").tag("result", "dropped").counter().count()).isEqualTo(15);
    // the same keys again, in the same slot, fit in the cells they already have
    assertThat(small.accept("other", new StatsReport("order", null, many.subList(0, 2), List.of()))).isZero();
    assertThat(small.served("other", "order", "t0", Duration.ofMinutes(1)).calls()).isEqualTo(2);
  }

  @Test
  void servedBy_keepsEachReportingInstanceApart() {
    store.accept("shop", new StatsReport("payment", "payment-1", List.of(served("acme", 20, 1, 0, 1_000),
        served("globex", 10, 0, 0, 1_000)), List.of(called("user", "acme", 5, 0, 0))));
    store.accept("shop", new StatsReport("payment", "payment-2", List.of(served("acme", 8, 6, 2, 1_000)), List.of()));
    store.accept("shop", new StatsReport("payment", null, List.of(served("acme", 4, 0, 0, 1_000)), List.of()));
    Duration w = Duration.ofMinutes(1);

    assertThat(store.instances("shop", "payment", w)).containsExactly("payment-1", "payment-2");
    assertThat(store.instances("shop", "user", w)).isEmpty(); // the called side is not kept per instance
    assertThat(store.instances("shop", "nothing", w)).isEmpty();
    StatsTotals two = store.servedBy("shop", "payment", "payment-2", null, w);
    assertThat(two.calls()).isEqualTo(8);
    assertThat(two.errorRate()).isEqualTo(1.0);
    assertThat(store.servedBy("shop", "payment", "payment-1", null, w).calls()).isEqualTo(30);
    assertThat(store.servedBy("shop", "payment", "payment-1", "globex", w).calls()).isEqualTo(10);
    assertThat(store.servedBy("shop", "payment", "payment-2", "globex", w)).isEqualTo(StatsTotals.EMPTY);
    assertThat(store.servedBy("shop", "payment", "payment-3", null, w)).isEqualTo(StatsTotals.EMPTY);
    // all instances together, the report without an instance too: the totals are not counted twice
    assertThat(store.servedBy("shop", "payment", null, "acme", w).calls()).isEqualTo(32);
    assertThat(store.served("shop", "payment", null, w).calls()).isEqualTo(42);
    assertThat(store.tenants("shop", "payment", w)).containsExactly("acme", "globex");
    assertThat(StatsQuery.page(store, "shop", "payment", null, w, 10).rows().get(0).served().calls()).isEqualTo(42);
  }

  @Test
  void instanceCells_haveTheirOwnCap_andNeverCrowdOutTheServiceTotals() {
    SimpleMeterRegistry own = new SimpleMeterRegistry(); // the cells gauge of this store, not of the class's
    StatsStore small = new StatsStore(new StatsSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), 2, 100), clock,
        own);
    for (int i = 0; i < 4; i++) {
      assertThat(small.accept("shop", new StatsReport("order", "i-" + i, List.of(served("acme", 1, 0, 0, 500)),
          List.of()))).isZero();
    }
    Duration w = Duration.ofMinutes(1);
    assertThat(small.served("shop", "order", "acme", w).calls()).isEqualTo(4);
    assertThat(small.instances("shop", "order", w)).containsExactly("i-0", "i-1");
    assertThat(own.get("tenantry.stats.instance.dropped").counter().count()).isEqualTo(2);
    assertThat(own.get("tenantry.stats.entries").tag("result", "dropped").counter().count()).isZero();
    assertThat(own.get("tenantry.stats.cells").gauge().value()).isEqualTo(3);
  }

  @Test
  void page_showsBothSides_perServiceAndTenant_busiestFirst() {
    report("payment", served("acme", 10, 1, 0, 3_000), served("globex", 40, 0, 4, 3_000));
    store.accept("shop", new StatsReport("order", null, List.of(), List.of(called("payment", "acme", 12, 3, 2),
        called("payment", null, 1, 0, 0))));

    StatsPage page = StatsQuery.page(store, "shop", null, null, Duration.ofMinutes(1), 10);
    assertThat(page.window()).isEqualTo("1m");
    assertThat(page.rows()).extracting(StatsRow::service, StatsRow::tenant).containsExactly(
        org.assertj.core.groups.Tuple.tuple("payment", null), org.assertj.core.groups.Tuple.tuple("payment", "globex"),
        org.assertj.core.groups.Tuple.tuple("payment", "acme"),
        org.assertj.core.groups.Tuple.tuple("payment", StatsQuery.NO_TENANT));
    Red all = page.rows().get(0).served();
    assertThat(all.calls()).isEqualTo(50);
    assertThat(all.ratePerSecond()).isEqualTo(50 / 60.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(all.rejections()).isEqualTo(4);
    assertThat(all.errorRate()).isEqualTo(Math.round(1.0 / 46 * 10_000) / 10_000.0);
    assertThat(all.p50Millis()).isEqualTo(LatencyBuckets.boundMicros(LatencyBuckets.bucketOf(3_000)) / 1000.0);
    Red acmeCalled = page.rows().get(2).called();
    assertThat(acmeCalled.calls()).isEqualTo(12);
    assertThat(acmeCalled.retries()).isEqualTo(3);
    assertThat(acmeCalled.errors()).isEqualTo(2);

    StatsPage one = StatsQuery.page(store, "shop", "payment", "acme", Duration.ofMinutes(1), 10);
    assertThat(one.rows()).extracting(StatsRow::tenant).containsExactly(null, "acme");
    assertThat(one.rows().get(0).served().calls()).isEqualTo(50); // the service's total stays whole
    assertThat(StatsQuery.page(store, "shop", null, null, Duration.ofMinutes(1), 1).rows()).hasSize(2);
    assertThat(StatsQuery.page(store, "nowhere", null, null, Duration.ofMinutes(1), 10).rows()).isEmpty();
  }

  @Test
  void percentiles_comeFromTheSharedBuckets() {
    long[] h = new long[LatencyBuckets.COUNT];
    h[LatencyBuckets.bucketOf(1_000)] = 90; // 90 calls near 1 ms
    h[LatencyBuckets.bucketOf(200_000)] = 10; // 10 near 200 ms
    report("order", new StatsEntry(null, "acme", 100, 0, 0, 0, h));
    LatencyHistogram latency = store.served("shop", "order", "acme", Duration.ofMinutes(1)).latency();
    assertThat(latency.percentileMillis(0.5)).isBetween(1.0, 1.5);
    assertThat(latency.percentileMillis(0.95)).isBetween(200.0, 300.0);
  }
}
