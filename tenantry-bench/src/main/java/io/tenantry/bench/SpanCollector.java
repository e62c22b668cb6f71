package io.tenantry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import zipkin2.codec.SpanBytesDecoder;

/**
 * A span collector under the ingest load: its process, the headers of every request to it, and the
 * counters (Prometheus text at {@code metricsPath}) from which the spans it kept are read. Immutable.
 *
 * @param receivedMetric the counter of spans the collector accepted
 * @param droppedMetric  the counter of accepted spans it dropped later (failed to store), or null if it has none
 * @param pendingMetric  the gauge of accepted spans not stored yet (an asynchronous collector's queue), or null
 */
record SpanCollector(String system, ServerProcess server, Requests requests, String metricsPath,
    String receivedMetric, String droppedMetric, String pendingMetric) {

  /**
   * Spans the server says it accepted, stored and did not drop, so far. A counter not there yet counts
   * 0 (Micrometer registers one on its first use); a wrong name shows as every span dropped and missing.
   */
  long spansKept() throws IOException {
    String metrics = get(metricsPath, "metrics");
    return Math.round(value(metrics, receivedMetric) - value(metrics, droppedMetric) - value(metrics, pendingMetric));
  }

  private static double value(String metrics, String metric) {
    return metric == null ? 0 : PrometheusText.sum(metrics, metric).orElse(0);
  }

  /** How many spans of trace {@code traceId} the query API returns (0 if it knows none). */
  int spansOfTrace(String traceId) throws IOException {
    try (HttpConnection c = HttpConnection.open(server.address()).keepingBodies()) {
      int status = c.exchange(requests.get("/api/v2/trace/" + traceId));
      if (status == 404) {
        return 0;
      }
      if (status != 200) {
        throw new IOException(system + ": trace " + traceId + ": status " + status + " " + c.body());
      }
      return SpanBytesDecoder.JSON_V2.decodeList(c.body().getBytes(StandardCharsets.UTF_8)).size();
    }
  }

  private String get(String path, String what) throws IOException {
    try (HttpConnection c = HttpConnection.open(server.address()).keepingBodies()) {
      int status = c.exchange(requests.get(path));
      if (status != 200) {
        throw new IOException(system + ": " + what + " " + path + ": status " + status);
      }
      return c.body();
    }
  }
}
