package io.tenantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One JMH result as the report shows it: average time per call and bytes allocated per call. */
record JmhRow(String name, double nsPerOp, double error, double bytesPerOp) {

  /** Reads JMH's JSON result file ({@code -rf json}); average-time results only. */
  static List<JmhRow> read(Path json) throws IOException {
    List<JmhRow> rows = new ArrayList<>();
    for (JsonNode r : new ObjectMapper().readTree(json.toFile())) {
      JsonNode primary = r.path("primaryMetric");
      if (!"avgt".equals(r.path("mode").asText()) || !primary.path("scoreUnit").asText().startsWith("ns/")) {
        continue;
      }
      String benchmark = r.path("benchmark").asText();
      String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1)
          + params(r.path("params"));
      JsonNode secondary = r.path("secondaryMetrics");
      // JMH 1.37 names it "gc.alloc.rate.norm"; older versions put a middle dot before it
      JsonNode alloc = secondary.has("gc.alloc.rate.norm") ? secondary.path("gc.alloc.rate.norm")
          : secondary.path("\u00b7gc.alloc.rate.norm");
      rows.add(new JmhRow(name, primary.path("score").asDouble(), primary.path("scoreError").asDouble(Double.NaN),
          alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
    }
    return rows;
  }

  /** A result's {@code @Param} values as a suffix, {@code " [metrics=off, tracing=none]"}; empty without any. */
  private static String params(JsonNode params) {
    if (!params.isObject() || params.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    params.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return " [" + String.join(", ", pairs) + "]";
  }
}
