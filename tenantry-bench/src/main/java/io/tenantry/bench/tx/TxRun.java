package io.tenantry.bench.tx;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one timed run of a driver did: transactions that completed, those that failed, wall time, latency
 * percentiles in microseconds and the first failure (null if none). Travels from the driver process to the
 * orchestrator as one line ({@link #toLine()}, {@link #parse(String)}).
 */
public record TxRun(long ops, long errors, long wallNanos, long p50Micros, long p99Micros, long maxMicros,
    String firstError) {
  /** Every line of the protocol starts with this, so that a client library's own output on stdout is told apart. */
  public static final String PREFIX = "txbench ";

  /** {@code txbench done ops=... error=<rest of the line>}. */
  public String toLine() {
    return String.format(Locale.ROOT, "%sdone ops=%d errors=%d wall_ns=%d p50_us=%d p99_us=%d max_us=%d error=%s",
        PREFIX, ops, errors, wallNanos, p50Micros, p99Micros, maxMicros,
        firstError == null ? "" : firstError.replaceAll("\\s+", " "));
  }

  /** The run a {@link #toLine()} line describes. */
  public static TxRun parse(String line) {
    if (!line.startsWith(PREFIX + "done ")) {
      throw new IllegalArgumentException("driver answer: " + line + " (expected: " + PREFIX + "done ...)");
    }
    String rest = line.substring((PREFIX + "done ").length());
    int error = rest.indexOf("error=");
    String head = error < 0 ? rest : rest.substring(0, error);
    Map<String, Long> f = new HashMap<>();
    for (String pair : head.trim().split(" ")) {
      int eq = pair.indexOf('=');
      f.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    String e = error < 0 ? "" : rest.substring(error + "error=".length()).trim();
    return new TxRun(f.get("ops"), f.get("errors"), f.get("wall_ns"), f.get("p50_us"), f.get("p99_us"),
        f.get("max_us"), e.isEmpty() ? null : e);
  }
}
