package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.demo.launcher.DemoReport.FailingInstance;
import io.tenantry.demo.launcher.DemoReport.TenantRow;
import io.tenantry.demo.launcher.LauncherConfig.KillMode;
import io.tenantry.demo.service.Balancers;
import io.tenantry.demo.store.LedgerAudit;
import io.tenantry.demo.store.OrderBook;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole demo, end to end: the real launcher logic in this JVM starts the real control plane and ten
 * service processes (with this JVM's classpath), applies the demo's policy files, drives every tenant's
 * traffic for 26 s with initech flooding at ten times its limit, makes payment-2 fail every call from
 * 3 s to 9 s, kills payment-1 hard (SIGKILL: it cannot deregister) at 14 s, and stops everything at the
 * end. Every order is one TCC transaction (order reserve + payment debit), one in ten read back is refunded as a
 * saga; at the end the coordinator's counts and both services' databases must agree for every tenant. Every
 * effect asserted is what the launcher counted from the answers, the services' stats and the databases.
 */
class DemoIT {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS) // ~45 s here; an interrupt still stops every child
  void demo_limitsTheFlood_canariesGlobex_ejectsAndReadmitsPayment2_andSurvivesAKill() throws Exception {
    // under target/, not a temporary directory: the children's logs stay for whoever reads a failure
    Path runDir = Path.of("target", "demo-it", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
    LauncherConfig config = new LauncherConfig(System.getProperty("java.class.path"), LauncherConfig.currentJava(),
        // payment-2 refuses 5% of its calls at random (the demo's default is 10%): three in a row would eject it
        // by chance now and then, and an ejection of payment-2 while payment-1 is killed leaves no instance
        runDir, 0.05, Balancers.ROUND_ROBIN, Duration.ofSeconds(34), List.of("payment-1"), Duration.ofSeconds(22),
        KillMode.HARD, Duration.ofSeconds(5), Duration.ofMillis(100), 3, 0, LauncherCommand.DEFAULT_CHILD_JVM_OPTIONS,
        100, Duration.ofSeconds(3), Duration.ofSeconds(8), null);
    DemoLauncher launcher = new DemoLauncher(config, new PrintStream(System.out, true));

    DemoReport report = launcher.run();

    // everything it started is gone, and nothing else was left behind
    assertThat(launcher.children()).hasSize(11).noneMatch(Children.Child::alive);
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    assertThat(launcher.appliedPolicies()).containsExactly("rate-limit/orders-per-tenant",
        "resilience/order-tenant-bulkhead", "route/order-v2-canary", "resilience/payment-protection",
        "tracing/sampling", "alert/payment-health");

    assertThat(report.killed()).containsExactly("payment-1");
    // nothing deregistered the killed instance: its lease (8 s) expired and the control plane dropped it,
    // which the launcher saw on its watch before the run ended (12 s after the kill)
    assertThat(launcher.removedFromRegistry()).containsOnlyKeys("payment-1");
    assertThat(launcher.removedFromRegistry().get("payment-1")).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(12));
    assertThat(report.tenants()).containsOnlyKeys("acme", "globex", "initech");
    for (TenantRow row : report.tenants().values()) {
      assertThat(row.ordersOk()).as(row.tenant() + " orders").isGreaterThan(20);
      assertThat(row.payments()).as(row.tenant() + " payments").isPositive();
      assertThat(row.readsOk()).as(row.tenant() + " orders read back").isPositive();
      assertThat(row.readsFailed()).as(row.tenant() + " failed read-backs").isZero();
      assertThat(row.probes()).as(row.tenant() + " isolation probes").isPositive();
      assertThat(row.leaks()).as(row.tenant() + " cross-tenant reads that did not answer 404").isZero();
    }

    // initech's flood (ten times its limit) is refused at the order service's door; acme and globex never are
    TenantRow acme = report.tenants().get("acme");
    TenantRow globex = report.tenants().get("globex");
    TenantRow initech = report.tenants().get("initech");
    assertThat(initech.ordersRefused()).as("initech orders refused with 429").isGreaterThan(initech.ordersOk());
    assertThat(initech.refusedBy()).containsKey("rate-limited");
    for (TenantRow unharmed : List.of(acme, globex)) {
      assertThat(unharmed.ordersRefused()).as(unharmed.tenant() + " orders refused").isZero();
      assertThat(unharmed.refusedBy()).as(unharmed.tenant() + " calls refused").isEmpty();
    }
    // acme, siloed on its own instances, loses nothing; the pooled tenants hardly anything
    assertThat(acme.ordersFailed()).as("acme failed orders (last error: " + acme.lastError() + ")").isZero();
    for (TenantRow pooled : List.of(globex, initech)) {
      assertThat(pooled.ordersFailed()).as(pooled.tenant() + " failed orders (last error: " + pooled.lastError() + ")")
          .isLessThanOrEqualTo(Math.max(2, pooled.ordersOk() / 50));
    }

    // the canary: about 10% of globex's orders placed by order v2 (binomial: ~150 orders, about ±3 standard
    // deviations), nobody else's
    assertThat(globex.share("v2")).as("globex's share on v2, " + globex.ordersByVersion()).isBetween(0.03, 0.19);
    assertThat(acme.ordersByVersion()).containsOnlyKeys("v1");
    assertThat(initech.ordersByVersion()).containsOnlyKeys("v1");

    // payment-2 failed every call for 8 s: its callers took it out of rotation, and let it back (the kill of
    // payment-1 comes after its longest ejection has ended, or the pool would have no working instance left)
    FailingInstance failing = report.failing();
    assertThat(failing.outageFrom()).isNotNull();
    assertThat(failing.outageTo()).isNotNull();
    assertThat(failing.duringOrAfterOutage()).as("ejections seen").isNotEmpty();
    assertThat(failing.back()).as("back in rotation after " + failing.ejections()).isTrue();
    assertThat(failing.servingAgain()).as("charging again after the outage").isNotNull();

    // siloed acme only on its own instances, pooled tenants never on acme's
    assertThat(acme.servedBy()).containsOnlyKeys("user-acme", "order-acme", "payment-acme");
    for (TenantRow pooled : List.of(globex, initech)) {
      assertThat(pooled.servedBy().keySet()).as(pooled.tenant() + " served by")
          .noneMatch(id -> id.endsWith("-acme"))
          .contains("payment-2");
    }
    assertThat(globex.servedBy()).containsKey(Topology.CANARY_INSTANCE);
    // payment-1 served pooled traffic before it was stopped
    assertThat(globex.servedBy().getOrDefault("payment-1", 0L)
        + initech.servedBy().getOrDefault("payment-1", 0L)).isPositive();
    // payment-2's failures were retried and failed over
    assertThat(report.total(TenantRow::retries)).isPositive();
    assertThat(report.total(TenantRow::failovers)).isPositive();

    // every order was one TCC transaction and every refund a saga: how they ended, and the books agree, per tenant
    Settlement settled = launcher.settlement();
    assertThat(settled.problems()).as("parts of the settlement that could not be read").isEmpty();
    assertThat(settled.inFlight()).as("transactions still in flight 30 s after the traffic stopped").isZero();
    for (TenantRow row : report.tenants().values()) {
      Settlement.TxCounts tx = settled.transactions().get(row.tenant());
      LedgerAudit.TenantBooks books = settled.books().get(row.tenant());
      assertThat(books.violations()).as(row.tenant() + "'s books").isEmpty();
      assertThat(books.moneyConserved()).isTrue();
      assertThat(tx.stuck()).as(row.tenant() + " stuck transactions").isZero();
      assertThat(row.refundsOk()).as(row.tenant() + " refunds (last error: " + row.lastError() + ")").isPositive();
      // each paid order committed its placing; a refunded one its placing and its refund's saga
      assertThat(tx.committed()).as(row.tenant() + " committed transactions")
          .isEqualTo(books.orders(OrderBook.Status.PAID) + 2 * books.orders(OrderBook.Status.REFUNDED));
      // every order answered 201 is paid; one that failed may be too if only its answer was lost
      assertThat(books.orders(OrderBook.Status.PAID) + books.orders(OrderBook.Status.REFUNDED))
          .as(row.tenant() + " orders paid (some refunded since)")
          .isBetween(row.ordersOk(), row.ordersOk() + row.ordersFailed());
    }
    assertThat(acme.refundsFailed()).as("acme's failed refunds").isZero();

    // what an operator sees through the control plane's API, per tenant
    Observations seen = launcher.observations();
    assertThat(seen.problems()).as("parts of the API that could not be read").isEmpty();
    assertThat(seen.traces()).as("an order trace per tenant").containsOnlyKeys("acme", "globex", "initech");
    for (Map.Entry<String, TraceTree> e : seen.traces().entrySet()) {
      assertThat(e.getValue().services()).as(e.getKey() + "'s order trace").contains("order", "user", "payment");
      assertThat(e.getValue().lines()).as(e.getKey() + "'s spans carry its tenant")
          .allMatch(l -> e.getKey().equals(l.tag("tenant.id")));
    }
    // globex is traced whole (the tracing policy's tenant under investigation) and shares payment-2: among its
    // traces is one whose payment was retried, each attempt its own span
    assertThat(seen.traces().get("globex").mostAttempts()).as("attempts in globex's trace\n"
        + seen.traces().get("globex").render("  ")).isGreaterThan(1);
    assertThat(seen.dependencies()).as("the dependency graph")
        .anyMatch(l -> l.parent().equals("order") && l.child().equals("user") && l.calls() > 0)
        .anyMatch(l -> l.parent().equals("order") && l.child().equals("payment") && l.errors() > 0);
    for (String tenant : List.of("acme", "globex", "initech")) {
      assertThat(seen.red()).as(tenant + "'s RED figures on order and payment")
          .anyMatch(r -> r.service().equals("order") && r.tenant().equals(tenant) && r.calls() > 0 && r.p99Millis() > 0)
          .anyMatch(r -> r.service().equals("payment") && r.tenant().equals(tenant) && r.calls() > 0);
    }
    assertThat(seen.red()).as("initech's orders refused at the door, counted by the order service")
        .anyMatch(r -> r.service().equals("order") && r.tenant().equals("initech") && r.rejections() > 0);
    // payment-2's outage fired the payment-errors alert for payment-2 itself, and for no other instance: not
    // payment-acme (siloed, healthy), nor payment-1 (killed: it stops reporting)
    assertThat(seen.alerts()).as("alert events")
        .anyMatch(a -> a.state().equals("firing") && a.rule().equals("payment-errors")
            && "payment-2".equals(a.instance()) && a.tenant() == null && a.value() > 0.3)
        .noneMatch(a -> a.rule().equals("payment-errors") && !"payment-2".equals(a.instance()))
        .noneMatch(a -> a.rule().equals("payment-errors-by-tenant") && "acme".equals(a.tenant()));
    assertThat(launcher.alertsReceived()).as("webhook events the launcher received").anyMatch(l -> l.startsWith("FIRING"));
  }
}
