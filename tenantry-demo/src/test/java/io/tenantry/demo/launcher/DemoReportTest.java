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
    traffic.put("acme", acme);
    traffic.put("globex", globex);
    Map<String, InstanceStats> stats = Map.of(
        "payment-acme", new InstanceStats("payment", "payment-acme", "acme",
            Map.of("acme", Map.of("requests", 10L, "charges", 10L))),
        "payment-1", new InstanceStats("payment", "payment-1", null,
            Map.of("globex", Map.of("requests", 5L, "charges", 5L))),
        "payment-2", new InstanceStats("payment", "payment-2", null,
            Map.of("globex", Map.of("requests", 4L, "charges", 2L, "injectedFailures", 2L))),
        "order-1", new InstanceStats("order", "order-1", null,
            Map.of("globex", Map.of("requests", 8L, "retries", 2L, "failovers", 1L))));

    DemoReport report = DemoReport.of(traffic, stats, List.of("payment-1"));

    assertThat(report.tenants().keySet()).containsExactly("acme", "globex");
    TenantRow a = report.tenants().get("acme");
    assertThat(a.payments()).isEqualTo(10);
    assertThat(a.servedBy()).containsOnlyKeys("payment-acme");
    assertThat(a.isolation()).isEqualTo("siloed");
    TenantRow g = report.tenants().get("globex");
    assertThat(g.ordersOk()).isEqualTo(7);
    assertThat(g.ordersFailed()).isEqualTo(1);
    assertThat(g.payments()).isEqualTo(7);
    assertThat(g.retries()).isEqualTo(2);
    assertThat(g.failovers()).isEqualTo(1);
    assertThat(g.servedBy()).containsExactly(Map.entry("order-1", 8L), Map.entry("payment-1", 5L),
        Map.entry("payment-2", 4L));
    assertThat(report.total(TenantRow::retries)).isEqualTo(2);

    String table = ReportTable.format(report, Duration.ofSeconds(75), "http://127.0.0.1:7070");
    assertThat(table).contains("01:15 elapsed", "killed on purpose: payment-1", "payment-2:4");
  }
}
