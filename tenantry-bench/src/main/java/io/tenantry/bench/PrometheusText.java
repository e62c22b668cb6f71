package io.tenantry.bench;

import java.util.OptionalDouble;

/** Reads a counter out of a Prometheus text exposition. Stateless. */
final class PrometheusText {
  private PrometheusText() {}

  /** The sum of every sample of {@code metric} (whatever its labels), or empty if there is none. */
  static OptionalDouble sum(String exposition, String metric) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric) && line.length() > metric.length()
          && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ')) {
        String[] f = line.trim().split(" ");
        // the value follows the name and labels; a timestamp may follow it
        int value = line.charAt(metric.length()) == '{' ? indexAfterLabels(f) : 1;
        sum += Double.parseDouble(f[value]);
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /** Label values may hold spaces: the value is the first field after the one that closes the labels. */
  private static int indexAfterLabels(String[] fields) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].endsWith("}")) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("sample without a closing '}': " + String.join(" ", fields));
  }
}
