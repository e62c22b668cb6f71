package io.tenantry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The span-ingestion section of the report: how it was measured, Tenantry's figures beside Zipkin's with
 * their ratios, and the bar of issue 5 met or missed. Stateless.
 */
final class SpanIngestReport {
  /** The heading of the section. */
  static final String HEADING = "## Span ingestion beside Zipkin (issue 5)";

  private SpanIngestReport() {}

  /** The figures of this benchmark: the report gives them their own section. */
  static boolean owns(Figure f) {
    return f.scenario().startsWith(SpanIngestBench.SCENARIO_PREFIX);
  }

  /**
   * The section of the report, or nothing if the benchmark did not run; {@code measured} says when and
   * how it ran when that differs from the report's header (null otherwise).
   */
  static String markdown(List<Figure> figures, String measured) {
    Optional<String> scenario = figures.stream().filter(f -> owns(f) && !f.scenario().equals(SpanIngestBench.SETUP))
        .map(Figure::scenario).findFirst();
    if (scenario.isEmpty()) {
      return "";
    }
    String s = scenario.get();
    StringBuilder b = new StringBuilder(HEADING).append("\n\n");
    if (measured != null) {
      b.append(measured).append("\n\n");
    }
    b.append(String.format(Locale.ROOT, METHOD, setup(figures, "spans_per_post"), setup(figures, "connections"),
        setup(figures, "max_spans"), setup(figures, "heap_mb"), setup(figures, "warmup_s"), setup(figures, "rounds"),
        setup(figures, "phase_s")));
    b.append("| ").append(setup(figures, "spans_per_post")).append(" spans per POST | Tenantry | Zipkin | Tenantry / Zipkin |\n")
        .append("|---|---:|---:|---:|\n");
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("spans_per_s", "spans per second (median)");
    rows.put("spans_per_cpu_s", "spans per server CPU-second (median)");
    rows.put("spans_per_cpu_s_min", "… lowest round");
    rows.put("spans_per_cpu_s_max", "… highest round");
    rows.put("p50_ms", "p50 of an accepted POST, ms (median)");
    rows.put("p99_ms", "p99 of an accepted POST, ms (median)");
    rows.put("p99_ms_max", "… highest round");
    rows.put("p99_all_ms", "p99 of every POST, 503s included, ms (median)");
    rows.put("server_cores", "server cores busy");
    rows.put("driver_cores", "load generator cores busy");
    rows.put("spans_sent", "spans sent (measured phases)");
    rows.put("spans_dropped", "spans dropped (sent − kept)");
    rows.put("posts_refused", "POSTs shed with 503 (their spans count as dropped)");
    rows.put("errors", "POSTs failed otherwise");
    rows.put("readback_missing_spans", "spans accepted, then missing when read back");
    rows.forEach((metric, label) -> {
      Optional<Figure> t = find(figures, "tenantry", s, metric);
      Optional<Figure> z = find(figures, "zipkin", s, metric);
      String ratio = t.isPresent() && z.isPresent() && z.get().value() != 0 && COMPARED.contains(metric)
          ? Figure.format(t.get().value() / z.get().value()) + "×" : "";
      b.append("| ").append(label).append(" | ").append(t.map(f -> Figure.format(f.value())).orElse("-"))
          .append(" | ").append(z.map(f -> Figure.format(f.value())).orElse("-")).append(" | ").append(ratio)
          .append(" |\n");
    });
    find(figures, "tenantry", s, "readback_traces").ifPresent(f -> b.append("\nRead back: the last ")
        .append(Figure.format(f.value())).append(" traces each server accepted, through `GET /api/v2/trace/{id}`. A POST shed with 503 is answered at once: "
        + "it counts in the last latency row only, and its spans as dropped (a Zipkin reporter does not send them "
        + "again).\n"));
    b.append("\n```\n");
    targets(figures, s).forEach(t -> b.append(t).append('\n'));
    b.append("```\n\n");
    return b.toString();
  }

  /** The rows that get a ratio: rates (above 1× is Tenantry ahead) and latencies (below 1× is Tenantry faster). */
  private static final Set<String> COMPARED = Set.of("spans_per_s", "spans_per_cpu_s",
      "spans_per_cpu_s_min", "spans_per_cpu_s_max", "p50_ms", "p99_ms", "p99_ms_max", "p99_all_ms");

  /** The bar of issue 5, MET or MISSED with the figures, or NOT MEASURED. */
  static List<String> targets(List<Figure> figures, String scenario) {
    List<String> out = new ArrayList<>();
    Optional<Figure> t = find(figures, "tenantry", scenario, "spans_per_cpu_s");
    Optional<Figure> z = find(figures, "zipkin", scenario, "spans_per_cpu_s");
    String cpu = "spans per server CPU-second at least Zipkin's, tenant scoping on";
    out.add(t.isEmpty() || z.isEmpty() ? "NOT MEASURED  " + cpu : verdict(t.get().value() >= z.get().value(), cpu,
        Figure.format(t.get().value()) + " vs " + Figure.format(z.get().value()) + " = "
            + Figure.format(t.get().value() / z.get().value()) + "x"));
    Optional<Figure> tp = find(figures, "tenantry", scenario, "p99_ms");
    Optional<Figure> zp = find(figures, "zipkin", scenario, "p99_ms");
    String p99 = "p99 of an accepted POST below Zipkin's";
    out.add(tp.isEmpty() || zp.isEmpty() ? "NOT MEASURED  " + p99 : verdict(tp.get().value() < zp.get().value(), p99,
        Figure.format(tp.get().value()) + " ms vs " + Figure.format(zp.get().value()) + " ms"));
    Optional<Figure> td = find(figures, "tenantry", scenario, "spans_dropped");
    Optional<Figure> tm = find(figures, "tenantry", scenario, "readback_missing_spans");
    String kept = "no span dropped (shed with 503, or accepted and lost)";
    out.add(td.isEmpty() || tm.isEmpty() ? "NOT MEASURED  " + kept : verdict(td.get().value() == 0
        && tm.get().value() == 0, kept, Figure.format(td.get().value()) + " dropped, " + Figure.format(tm.get().value())
        + " missing"));
    return out;
  }

  private static String verdict(boolean met, String label, String figures) {
    return (met ? "MET           " : "MISSED        ") + label + ": " + figures;
  }

  private static String setup(List<Figure> figures, String metric) {
    return figures.stream().filter(f -> f.scenario().equals(SpanIngestBench.SETUP) && f.metric().equals(metric))
        .map(f -> metric.equals("max_spans") ? String.format(Locale.ROOT, "%,d", (long) f.value()) : Figure.format(f.value()))
        .reduce((a, b) -> b).orElse("?");
  }

  private static Optional<Figure> find(List<Figure> figures, String system, String scenario, String metric) {
    return figures.stream().filter(f -> f.system().equals(system) && f.scenario().equals(scenario)
        && f.metric().equals(metric)).reduce((a, b) -> b);
  }

  private static final String METHOD = """
      Zipkin's published server (`io.zipkin:zipkin-server:3.6.1:jar:exec`, `STORAGE_TYPE=mem`) and the
      Tenantry control plane (trace storage in memory), each in its own process on 127.0.0.1, in the same
      run. Both get the same bytes: Zipkin v2 JSON batches of %s spans, whole traces of five spans
      (gateway → order → payment, each hop a client span and the callee's shared server span, with the
      SDK's tags and `tenant.id` over 12 tenants), unique ids, posted to `POST /api/v2/spans` with the same
      `Authorization: Bearer` header (a namespace `service` key for Tenantry; Zipkin ignores it) by a closed
      loop of %s keep-alive HTTP/1.1 connections. Both keep at most %s spans and run with `-Xmx%sm`.
      Each server first gets %s s of unmeasured load, longer if needed to send twice the retention (so
      the measured phases pay for eviction, as a server that has run for days does); then %s measured
      phases of %s s per server, alternating between the servers and flipping the order every round.
      Figures are medians over the rounds. Spans kept are read from each server's counters after each
      phase (Zipkin: `zipkin_collector_spans_total` − `zipkin_collector_spans_dropped_total`; Tenantry:
      `tenantry_spans_accepted_total` − `tenantry_spans_dropped_total` − `tenantry_spans_intake`, the
      spans accepted but not yet indexed); a server's CPU time runs from the phase's start until the
      server has counted every span it accepted. Tenantry / Zipkin above 1× is Tenantry ahead for a
      rate; below 1× is Tenantry faster for milliseconds.

      """;
}
