package io.tenantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import zipkin2.codec.SpanBytesDecoder;

/**
 * A span collector under the ingest load: its address and process id, the headers of every request to it, and the
 * counters (Prometheus text at {@code metricsPath}) from which the spans it kept are read. Immutable.
 *
 * @param receivedMetric the counter of spans the collector accepted
 * @param droppedMetric  the counter of accepted spans it dropped later (failed to store), or null if it has none
 * @param pendingMetric  the gauge of accepted spans not stored yet (an asynchronous collector's queue), or null
 */
record SpanCollector(String system, InetSocketAddress address, long pid, Requests requests, String metricsPath,
    String receivedMetric, String droppedMetric, String pendingMetric) {

  /**
   * What the server says it did with the spans so far: kept (accepted, stored, not dropped) and still
   * pending (accepted, not stored yet).
   */
  record Counts(long kept, long pending) {}

  /**
   * The server's counts now. A counter not there yet counts 0 (Micrometer registers one on its first
   * use); a wrong name shows as every span dropped and missing.
   */
  Counts counts() throws IOException {
    String metrics = get(metricsPath, "metrics");
    long pending = Math.round(value(metrics, pendingMetric));
    return new Counts(Math.round(value(metrics, receivedMetric) - value(metrics, droppedMetric)) - pending, pending);
  }

  /** Tenantry's collector: its meters at {@code /metrics}, spans accepted but not indexed yet in its intake gauge. */
  static SpanCollector tenantry(InetSocketAddress address, long pid, String authorization) {
    return new SpanCollector("tenantry", address, pid, new Requests(host(address), authorization, null), "/metrics",
        "tenantry_spans_accepted_total", "tenantry_spans_dropped_total", "tenantry_spans_intake");
  }

  /** Zipkin's collector: its counters at {@code /prometheus}; it stores a POST's spans before answering. */
  static SpanCollector zipkin(InetSocketAddress address, long pid, String authorization) {
    return new SpanCollector("zipkin", address, pid, new Requests(host(address), authorization, null), "/prometheus",
        "zipkin_collector_spans_total", "zipkin_collector_spans_dropped_total", null);
  }

  private static String host(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  private static double value(String metrics, String metric) {
    return metric == null ? 0 : PrometheusText.sum(metrics, metric).orElse(0);
  }

  /** How many spans of trace {@code traceId} the query API returns (0 if it knows none). */
  int spansOfTrace(String traceId) throws IOException {
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
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
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
      int status = c.exchange(requests.get(path));
      if (status != 200) {
        throw new IOException(system + ": " + what + " " + path + ": status " + status);
      }
      return c.body();
    }
  }
}
