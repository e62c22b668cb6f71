package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.demo.launcher.DemoReport.TenantRow;
import io.tenantry.demo.launcher.StatsCollector.InstanceStats;
import io.tenantry.demo.launcher.TrafficDriver.TenantTraffic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  @Test
  void of_sumsEachTenantsCountersOverInstances_andListsWhoServedIt() {
    Map<String, TenantTraffic> traffic = new LinkedHashMap<>();
    TenantTraffic acme = new TenantTraffic("acme");
    acme.ordersOk.set(10);
    TenantTraffic globex = new TenantTraffic("globex");
    globex.ordersOk.set(7);
    globex.ordersFailed.set(1);
    globex.ordersByVersion.put("v1", new java.util.concurrent.atomic.AtomicLong(6));
    globex.ordersByVersion.put("v2", new java.util.concurrent.atomic.AtomicLong(1));
    TenantTraffic initech = new TenantTraffic("initech");
    initech.ordersOk.set(3);
    initech.ordersRefused.set(27);
    initech.refused("rate-limited");
    traffic.put("acme", acme);
    traffic.put("globex", globex);
    traffic.put("initech", initech);
    Map<String, InstanceStats> stats = Map.of(
        "payment-acme", new InstanceStats("payment", "payment-acme", "acme",
            Map.of("acme", Map.of("requests", 10L, "charges", 10L))),
        "payment-1", new InstanceStats("payment", "payment-1", null,
            Map.of("globex", Map.of("requests", 5L, "charges", 5L))),
        "payment-2", new InstanceStats("payment", "payment-2", null,
            Map.of("globex", Map.of("requests", 4L, "charges", 2L, "injectedFailures", 2L))),
        "order-1", new InstanceStats("order", "order-1", null,
            Map.of("globex", Map.of("requests", 8L, "retries", 2L, "failovers", 1L))));

    var failing = new DemoReport.FailingInstance("payment-2", Duration.ofSeconds(8), Duration.ofSeconds(16), List.of(
        new RotationWatch.Episode("order-1", Duration.ofMillis(2000), Duration.ofMillis(2500), 3),
        new RotationWatch.Episode("order-1", Duration.ofMillis(8500), Duration.ofMillis(10700), 12),
        new RotationWatch.Episode("order-2", Duration.ofMillis(9000), Duration.ofMillis(17000), 40)),
        new RotationWatch.ServingAgain(Duration.ofMillis(16250), 42));
    DemoReport report = DemoReport.of(traffic, stats, List.of("payment-1"), failing);

    assertThat(report.tenants().keySet()).containsExactly("acme", "globex", "initech");
    TenantRow a = report.tenants().get("acme");
    assertThat(a.payments()).isEqualTo(10);
    assertThat(a.servedBy()).containsOnlyKeys("payment-acme");
    assertThat(a.isolation()).isEqualTo("siloed");
    TenantRow g = report.tenants().get("globex");
    assertThat(g.ordersOk()).isEqualTo(7);
    assertThat(g.ordersFailed()).isEqualTo(1);
    assertThat(g.ordersAttempted()).isEqualTo(8);
    assertThat(g.share("v2")).isEqualTo(1 / 7.0);
    TenantRow i = report.tenants().get("initech");
    assertThat(i.ordersAttempted()).isEqualTo(30);
    assertThat(i.refusedBy()).containsExactly(Map.entry("rate-limited", 1L));
    // the stretch before the outage is not the outage's
    assertThat(report.failing().duringOrAfterOutage()).hasSize(2);
    assertThat(report.failing().back()).isTrue();
    assertThat(g.payments()).isEqualTo(7);
    assertThat(g.retries()).isEqualTo(2);
    assertThat(g.failovers()).isEqualTo(1);
    assertThat(g.servedBy()).containsExactly(Map.entry("order-1", 8L), Map.entry("payment-1", 5L),
        Map.entry("payment-2", 4L));
    assertThat(report.total(TenantRow::retries)).isEqualTo(2);

    String table = ReportTable.format(report, Duration.ofSeconds(75), "http://127.0.0.1:7070");
    assertThat(table).contains("01:15 elapsed", "killed on purpose: payment-1", "payment-2:4",
        "1 14.3%", "initech refused with 429: rate-limited:1 (90.0% of its orders)",
        "payment-2 failed every call from 00:08 to 00:16",
        "order-1: ejected 00:08.5 back 00:10.7 (2.2 s, 12 calls elsewhere)",
        "back: charging payments again from 00:16 (42 charged since the outage ended)");
    assertThat(table).doesNotContain("00:02.0");
  }
}
