package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.demo.launcher.DemoReport.TenantRow;
import io.tenantry.demo.launcher.LauncherConfig.KillMode;
import io.tenantry.demo.service.Balancers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole demo, end to end: the real launcher logic in this JVM starts the real control plane and
 * nine service processes (with this JVM's classpath), drives every tenant's traffic for 25 s, kills
 * payment-1 hard (SIGKILL: it cannot deregister) after 10 s, and stops everything at the end.
 */
class DemoIT {
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS) // ~35 s here; an interrupt still stops every child
  void demo_servesEveryTenant_keepsThemApart_andSurvivesAKilledPaymentInstance() throws Exception {
    // under target/, not a temporary directory: the children's logs stay for whoever reads a failure
    Path runDir = Path.of("target", "demo-it", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
    LauncherConfig config = new LauncherConfig(System.getProperty("java.class.path"), LauncherConfig.currentJava(),
        runDir, 0.3, Balancers.ROUND_ROBIN, Duration.ofSeconds(25), List.of("payment-1"), Duration.ofSeconds(10), KillMode.HARD, Duration.ofSeconds(5),
        Duration.ofMillis(100), 3, 0, LauncherCommand.DEFAULT_CHILD_JVM_OPTIONS);
    DemoLauncher launcher = new DemoLauncher(config, new PrintStream(System.out, true));

    DemoReport report = launcher.run();

    // everything it started is gone, and nothing else was left behind
    assertThat(launcher.children()).hasSize(10).noneMatch(Children.Child::alive);
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();

    assertThat(report.killed()).containsExactly("payment-1");
    // nothing deregistered the killed instance: its lease (8 s) expired and the control plane dropped it,
    // which the launcher saw on its watch before the run ended (15 s after the kill)
    assertThat(launcher.removedFromRegistry()).containsOnlyKeys("payment-1");
    assertThat(launcher.removedFromRegistry().get("payment-1")).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
    assertThat(report.tenants()).containsOnlyKeys("acme", "globex", "initech");
    for (TenantRow row : report.tenants().values()) {
      assertThat(row.ordersOk()).as(row.tenant() + " orders").isGreaterThan(20);
      assertThat(row.ordersFailed()).as(row.tenant() + " failed orders (last error: " + row.lastError() + ")").isZero();
      assertThat(row.payments()).as(row.tenant() + " payments").isPositive();
      assertThat(row.readsOk()).as(row.tenant() + " orders read back").isPositive();
      assertThat(row.readsFailed()).as(row.tenant() + " failed read-backs").isZero();
      assertThat(row.probes()).as(row.tenant() + " isolation probes").isPositive();
      assertThat(row.leaks()).as(row.tenant() + " cross-tenant reads that did not answer 404").isZero();
    }

    // siloed acme only on its own instances, pooled tenants never on acme's
    TenantRow acme = report.tenants().get("acme");
    assertThat(acme.servedBy()).containsOnlyKeys("user-acme", "order-acme", "payment-acme");
    for (String pooled : List.of("globex", "initech")) {
      assertThat(report.tenants().get(pooled).servedBy().keySet())
          .as(pooled + " served by")
          .noneMatch(id -> id.endsWith("-acme"))
          .contains("payment-2");
    }
    // payment-1 served pooled traffic before it was stopped
    assertThat(report.tenants().get("globex").servedBy().getOrDefault("payment-1", 0L)
        + report.tenants().get("initech").servedBy().getOrDefault("payment-1", 0L)).isPositive();

    // payment-2's injected failures were retried and failed over
    assertThat(report.total(TenantRow::retries)).isPositive();
    assertThat(report.total(TenantRow::failovers)).isPositive();
  }
}
