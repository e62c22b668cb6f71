package io.tenantry.demo.launcher;

import io.tenantry.demo.launcher.DemoReport.TenantRow;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Formats a {@link DemoReport} as the table the launcher prints every few seconds. Stateless. */
final class ReportTable {
  private static final String ROW = "%-8s %-8s %-7s %9s %6s %8s %7s %9s %6s  %s%n";

  private ReportTable() {}

  static String format(DemoReport report, Duration elapsed, String controlPlane) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n--- %s elapsed · control plane %s%s%n", clock(elapsed), controlPlane,
        report.killed().isEmpty() ? "" : " · killed on purpose: " + String.join(", ", report.killed())));
    b.append(String.format(ROW, "tenant", "tier", "isol.", "orders ok", "failed", "payments", "retries", "failovers",
        "leaks", "served by (instance: requests)"));
    for (TenantRow r : report.tenants().values()) {
      b.append(String.format(ROW, r.tenant(), r.tier(), r.isolation(), r.ordersOk(), r.ordersFailed(), r.payments(),
          r.retries(), r.failovers(), r.leaks() + "/" + r.probes(), servedBy(r.servedBy())));
    }
    report.tenants().values().stream()
        .filter(r -> r.lastError() != null && r.ordersFailed() + r.leaks() + r.readsFailed() > 0)
        .forEach(r -> b.append("  ").append(r.tenant()).append(" last error: ").append(r.lastError()).append('\n'));
    return b.toString();
  }

  private static String servedBy(Map<String, Long> servedBy) {
    return servedBy.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return String.format("%02d:%02d", s / 60, s % 60);
  }
}
