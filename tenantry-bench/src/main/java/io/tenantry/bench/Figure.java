package io.tenantry.bench;

import java.util.Locale;

/**
 * One measured number: which system, which scenario (e.g. {@code register@10000}), which metric
 * (e.g. {@code ops_per_cpu_s}), its value and unit. Written one per line, tab-separated.
 */
record Figure(String system, String scenario, String metric, double value, String unit) {
  Figure {
    if (system.isBlank() || scenario.isBlank() || metric.isBlank()) {
      throw new IllegalArgumentException("system, scenario and metric must not be blank");
    }
  }

  String toLine() {
    return String.join("\t", system, scenario, metric, format(value), unit);
  }

  static Figure parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 5) {
      throw new IllegalArgumentException("figure line: " + line + " (expected: 5 tab-separated fields)");
    }
    return new Figure(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4]);
  }

  /** Three significant digits at most, no exponent. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    double a = Math.abs(v);
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
