package io.tenantry.demo.launcher;

import io.tenantry.demo.launcher.DemoReport.FailingInstance;
import io.tenantry.demo.launcher.DemoReport.TenantRow;
import io.tenantry.demo.launcher.RotationWatch.Episode;
import io.tenantry.demo.store.OrderBook;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Formats a {@link DemoReport} as the table the launcher prints every few seconds. Stateless. */
final class ReportTable {
  private static final String ROW = "%-8s %-8s %-7s %6s %6s %6s %6s %11s %8s %7s %9s %6s  %s%n";

  private ReportTable() {}

  /** What the control plane's observability API shows at the end: traces, dependencies, RED per tenant, alerts. */
  static String observations(Observations o) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n--- what the control plane shows (Zipkin API /api/v2, /api/v1/.../stats, /alerts)%n"));
    for (Map.Entry<String, TraceTree> e : new TreeMap<>(o.traces()).entrySet()) {
      TraceTree t = e.getValue();
      b.append(String.format("trace %s of an order of %s (%d spans%s):%n", t.traceId(), e.getKey(), t.lines().size(),
          t.mostAttempts() > 1 ? ", payment retried: " + t.mostAttempts() + " attempts" : ""));
      b.append(t.render("  "));
    }
    if (!o.dependencies().isEmpty()) {
      b.append("dependencies (calls, errors):");
      for (Observations.Link l : o.dependencies()) {
        b.append(String.format(" %s -> %s (%d, %d);", l.parent(), l.child(), l.calls(), l.errors()));
      }
      b.append('\n');
    }
    if (!o.red().isEmpty()) {
      b.append(String.format("%-8s %-8s %8s %7s %7s %6s %8s %8s%n", "service", "tenant", "calls", "rate/s", "errors",
          "429", "p50 ms", "p99 ms"));
      for (Observations.Red r : o.red()) {
        b.append(String.format("%-8s %-8s %8d %7.1f %6.1f%% %6d %8.1f %8.1f%n", r.service(), r.tenant(), r.calls(),
            r.ratePerSecond(), r.errorRate() * 100, r.rejections(), r.p50Millis(), r.p99Millis()));
      }
    }
    for (Observations.Alert a : o.alerts()) {
      b.append(String.format("alert %s: %s on %s%s%s: %.3f, threshold %.3f, at %s%n", a.state(), a.rule(), a.service(),
          a.instance() == null ? "" : " instance " + a.instance(), a.tenant() == null ? "" : " for " + a.tenant(),
          a.value(), a.threshold(), a.at()));
    }
    for (String p : o.problems()) {
      b.append("  could not read ").append(p).append('\n');
    }
    return b.toString();
  }

  private static final String SETTLED = "%-8s %9s %11s %5s %6s %8s %9s %7s %8s  %s%n";

  /**
   * How the transactions ended (the coordinator's counts) and what the books say, per tenant, with the
   * refunds the traffic asked for; then every broken promise of the books, or that there is none.
   */
  static String settlement(Settlement s, DemoReport report) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n--- transactions (the coordinator's API) and the books (the order and payment databases)%n"));
    b.append(String.format(SETTLED, "tenant", "committed", "rolled back", "stuck", "paid", "refunded", "cancelled",
        "pending", "refunds", "money: seeded = balances + frozen + done debits"));
    for (String tenant : report.tenants().keySet()) {
      Settlement.TxCounts tx = s.transactions().get(tenant);
      var books = s.books().get(tenant);
      TenantRow row = report.tenants().get(tenant);
      String plus = tx != null && tx.capped() ? "+" : "";
      b.append(String.format(SETTLED, tenant, tx == null ? "?" : tx.committed() + plus,
          tx == null ? "?" : tx.rolledBack() + plus, tx == null ? "?" : tx.stuck() + plus,
          books == null ? "-" : books.orders(OrderBook.Status.PAID),
          books == null ? "-" : books.orders(OrderBook.Status.REFUNDED),
          books == null ? "-" : books.orders(OrderBook.Status.CANCELLED),
          books == null ? "-" : books.orders(OrderBook.Status.PENDING),
          row.refundsOk() + "/" + (row.refundsOk() + row.refundsFailed()),
          books == null ? "-" : String.format(Locale.ROOT, "%,d = %,d + %,d + %,d", books.seeded(), books.balance(),
              books.frozen(), books.doneAmount())));
    }
    if (s.inFlight() > 0) {
      b.append("  ").append(s.inFlight()).append(" transactions still in flight when the books were read\n");
    }
    s.books().forEach((tenant, books) -> books.violations().forEach(v ->
        b.append("  ").append(tenant).append(": ").append(v).append('\n')));
    s.problems().forEach(p -> b.append("  could not read ").append(p).append('\n'));
    if (s.consistent()) {
      b.append("  every tenant's books hold: money conserved, every paid order with its done debit and every done debit"
          + " with its paid order (refunded likewise), nothing pending, tried or frozen, no transaction stuck\n");
    }
    return b.toString();
  }

  static String format(DemoReport report, Duration elapsed, String controlPlane) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n--- %s elapsed · control plane %s%s%n", clock(elapsed), controlPlane,
        report.killed().isEmpty() ? "" : " · killed on purpose: " + String.join(", ", report.killed())));
    b.append(String.format(ROW, "tenant", "tier", "isol.", "orders", "ok", "failed", "429", "by v2", "payments",
        "retries", "failovers", "leaks", "served by (instance: requests)"));
    for (TenantRow r : report.tenants().values()) {
      b.append(String.format(ROW, r.tenant(), r.tier(), r.isolation(), r.ordersAttempted(), r.ordersOk(),
          r.ordersFailed(), r.ordersRefused(), byVersion(r, Topology.CANARY_VERSION), r.payments(), r.retries(),
          r.failovers(), r.leaks() + "/" + r.probes(), servedBy(r.servedBy())));
    }
    for (TenantRow r : report.tenants().values()) {
      if (!r.refusedBy().isEmpty()) {
        b.append("  ").append(r.tenant()).append(" refused with 429: ").append(servedBy(r.refusedBy()))
            .append(" (").append(percent(r.ordersRefused(), r.ordersAttempted())).append(" of its orders)\n");
      }
    }
    report.tenants().values().stream()
        .filter(r -> r.lastError() != null && r.ordersFailed() + r.leaks() + r.readsFailed() > 0)
        .forEach(r -> b.append("  ").append(r.tenant()).append(" last error: ").append(r.lastError()).append('\n'));
    if (report.failing() != null) {
      b.append(failing(report.failing()));
    }
    DemoReport.SdkCounters sdk = report.sdk();
    if (sdk != null) {
      b.append("  the order instances' SDKs counted: ").append(sdk.rateLimited()).append(" calls refused by the rate limit, ")
          .append(sdk.bulkheadRefused()).append(" by the bulkhead; ").append(sdk.ejections())
          .append(" ejections of payment instances, ").append(sdk.retriesDenied()).append(" retries denied by the budget\n");
    }
    return b.toString();
  }

  /** {@code n/ok (p%)} of orders placed by {@code version}, or {@code -} without orders. */
  private static String byVersion(TenantRow r, String version) {
    long n = r.ordersByVersion().getOrDefault(version, 0L);
    long all = r.ordersByVersion().values().stream().mapToLong(Long::longValue).sum();
    return all == 0 ? "-" : n + " " + percent(n, all);
  }

  static String failing(FailingInstance f) {
    StringBuilder b = new StringBuilder();
    if (f.outageFrom() == null) {
      return "";
    }
    b.append("  ").append(f.instance()).append(" failed every call from ").append(clock(f.outageFrom()))
        .append(f.outageTo() == null ? " (still failing)" : " to " + clock(f.outageTo())).append('\n');
    List<Episode> episodes = f.duringOrAfterOutage();
    if (episodes.isEmpty()) {
      b.append("    its callers did not take it out of rotation (no outlier ejection seen)\n");
    } else {
      Map<String, List<Episode>> byCaller = episodes.stream()
          .collect(Collectors.groupingBy(Episode::caller, java.util.TreeMap::new, Collectors.toList()));
      b.append("    out of rotation (no calls from the caller while it kept paying elsewhere):\n");
      byCaller.forEach((caller, list) -> b.append("      ").append(caller).append(": ")
          .append(list.stream().map(ReportTable::episode).collect(Collectors.joining(", "))).append('\n'));
    }
    if (f.servingAgain() != null) {
      b.append("    back: charging payments again from ").append(clock(f.servingAgain().at())).append(" (")
          .append(f.servingAgain().chargesSince()).append(" charged since the outage ended)\n");
    } else if (f.outageTo() != null) {
      b.append("    not back yet: no payment charged since the outage ended\n");
    }
    return b.toString();
  }

  private static String episode(Episode e) {
    return "ejected " + clockTenths(e.from()) + (e.to() == null ? " (still out)"
        : " back " + clockTenths(e.to()) + " (" + String.format(Locale.ROOT, "%.1f", e.length().toMillis() / 1000.0)
            + " s, " + e.callsElsewhere() + " calls elsewhere)");
  }

  private static String percent(long n, long of) {
    return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
  }

  private static String servedBy(Map<String, Long> servedBy) {
    return servedBy.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return String.format("%02d:%02d", s / 60, s % 60);
  }

  private static String clockTenths(Duration d) {
    long tenths = d.toMillis() / 100;
    return String.format("%02d:%02d.%d", tenths / 600, tenths / 10 % 60, tenths % 10);
  }
}
