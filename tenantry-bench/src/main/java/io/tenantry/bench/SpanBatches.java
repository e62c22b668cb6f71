package io.tenantry.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Zipkin v2 JSON batches as a reporter posts them: whole traces of five spans (gateway → order →
 * payment, each hop a client span and the callee's shared server span), tagged as the SDK tags them,
 * with {@code tenant.id} spread over {@value #TENANTS} tenants. Batch {@code n} is always the same bytes
 * (so both servers get the same load), and its ids are unique across batches: the request is a
 * template whose ids, timestamps and tenants are written into fixed-width holes, so that building one
 * costs the load generator a copy. Immutable and thread-safe.
 */
final class SpanBatches {
  static final int SPANS_PER_TRACE = 5;
  static final int TENANTS = 12;
  /** Where the spans are posted, on Zipkin and on Tenantry alike. */
  static final String PATH = "/api/v2/spans";
  /** Trace start times of consecutive traces this far apart, in microseconds. */
  private static final long TRACE_SPACING_MICROS = 100;

  private enum Kind { TRACE_ID, SPAN_ID, TIMESTAMP, TENANT }

  /** A fixed-width place in the template: what goes there, for which trace of the batch, plus what. */
  private record Hole(int offset, Kind kind, int trace, long extra) {}

  private final int tracesPerBatch;
  private final long traceIdHigh;
  private final long baseMicros;
  private final byte[] template;
  private final List<Hole> holes;

  /**
   * @param requests      the headers of the server the requests go to
   * @param spansPerBatch spans per POST, a multiple of {@value #SPANS_PER_TRACE}
   * @param traceIdHigh   the high half of every 128-bit trace id (nonzero: a run's own ids)
   * @param baseMicros    the start time of the first trace, epoch microseconds
   */
  SpanBatches(Requests requests, int spansPerBatch, long traceIdHigh, long baseMicros) {
    if (spansPerBatch < SPANS_PER_TRACE || spansPerBatch % SPANS_PER_TRACE != 0) {
      throw new IllegalArgumentException("spansPerBatch: " + spansPerBatch + " (expected: a multiple of 5)");
    }
    if (traceIdHigh == 0) {
      throw new IllegalArgumentException("traceIdHigh must not be 0");
    }
    this.tracesPerBatch = spansPerBatch / SPANS_PER_TRACE;
    this.traceIdHigh = traceIdHigh;
    this.baseMicros = baseMicros;
    Template t = new Template();
    t.text("[");
    for (int trace = 0; trace < tracesPerBatch; trace++) {
      trace(t, trace);
      t.text(trace + 1 < tracesPerBatch ? "," : "]");
    }
    String body = t.text.toString();
    byte[] request = requests.send("POST", PATH, "application/json", body);
    int bodyStart = request.length - body.getBytes(StandardCharsets.US_ASCII).length;
    this.template = request;
    this.holes = t.holes.stream().map(h -> new Hole(bodyStart + h.offset(), h.kind(), h.trace(), h.extra())).toList();
  }

  int spansPerBatch() {
    return tracesPerBatch * SPANS_PER_TRACE;
  }

  /** Batch {@code n} as a whole HTTP request. */
  byte[] request(long n) {
    byte[] r = template.clone();
    for (Hole h : holes) {
      long trace = n * tracesPerBatch + h.trace();
      switch (h.kind()) {
        case TRACE_ID -> {
          hex(r, h.offset(), traceIdHigh);
          hex(r, h.offset() + 16, mix(trace * 4));
        }
        case SPAN_ID -> hex(r, h.offset(), mix(trace * 4 + h.extra()));
        case TIMESTAMP -> decimal(r, h.offset(), 16, baseMicros + trace * TRACE_SPACING_MICROS + h.extra());
        case TENANT -> decimal(r, h.offset(), 2, trace % TENANTS);
      }
    }
    return r;
  }

  /** The 32 hex digits of trace {@code trace} (0 ≤ trace < spans per batch / 5) of batch {@code n}. */
  String traceId(long n, int trace) {
    byte[] id = new byte[32];
    hex(id, 0, traceIdHigh);
    hex(id, 16, mix((n * tracesPerBatch + trace) * 4));
    return new String(id, StandardCharsets.US_ASCII);
  }

  /**
   * One trace: the gateway's server span (the root), its client span to order, order's server span
   * (shared id), order's client span to payment and payment's server span (shared id). Durations,
   * instances and paths vary with the trace's place in the batch.
   */
  private static void trace(Template t, int trace) {
    int order = 1000 + trace * 37;
    int gatewayInstance = 1 + trace % 3;
    int orderInstance = 1 + trace % 2;
    int paymentInstance = 1 + (trace + 1) % 3;
    long payMicros = 2_000 + trace * 131L;
    long orderMicros = payMicros + 1_400 + trace * 17L;
    long rootMicros = orderMicros + 900;
    String path = "/orders/" + order;
    span(t, trace, 1, 0, "SERVER", false, "get /orders/{id}", 0, rootMicros, "gateway", gatewayInstance,
        "10.0.1.1" + gatewayInstance, 8080, null, "10.0.9." + (20 + trace), 50_000 + trace,
        "GET", path, "200", 0);
    t.text(",");
    span(t, trace, 2, 1, "CLIENT", false, "get /orders/{id}", 350, orderMicros + 300, "gateway", gatewayInstance,
        "10.0.1.1" + gatewayInstance, 0, "order", "10.0.2.1" + orderInstance, 8081, "GET", path, "200", 1);
    t.text(",");
    span(t, trace, 2, 1, "SERVER", true, "get /orders/{id}", 500, orderMicros, "order", orderInstance,
        "10.0.2.1" + orderInstance, 8081, null, "10.0.1.1" + gatewayInstance, 40_000 + trace, "GET", path, "200", 1);
    t.text(",");
    span(t, trace, 3, 2, "CLIENT", false, "post /payments", 800, payMicros + 250, "order", orderInstance,
        "10.0.2.1" + orderInstance, 0, "payment", "10.0.3.1" + paymentInstance, 8082, "POST", "/payments", "201", 1);
    t.text(",");
    span(t, trace, 3, 2, "SERVER", true, "post /payments", 900, payMicros, "payment", paymentInstance,
        "10.0.3.1" + paymentInstance, 8082, null, "10.0.2.1" + orderInstance, 41_000 + trace, "POST", "/payments",
        "201", 1);
  }

  /** One span; {@code id} and {@code parent} name span 1, 2 or 3 of the trace (parent 0: none). */
  private static void span(Template t, int trace, int id, int parent, String kind, boolean shared, String name,
      long startOffsetMicros, long durationMicros, String service, int instance, String ipv4, int port,
      String remoteService, String remoteIpv4, int remotePort, String method, String path, String status,
      int attempt) {
    t.text("{\"traceId\":\"").hole(Kind.TRACE_ID, trace, 32, 0).text("\"");
    if (parent != 0) {
      t.text(",\"parentId\":\"").hole(Kind.SPAN_ID, trace, 16, parent).text("\"");
    }
    t.text(",\"id\":\"").hole(Kind.SPAN_ID, trace, 16, id).text("\",\"kind\":\"" + kind + "\",\"name\":\"" + name
        + "\",\"timestamp\":").hole(Kind.TIMESTAMP, trace, 16, startOffsetMicros).text(",\"duration\":" + durationMicros);
    t.text(",\"localEndpoint\":{\"serviceName\":\"" + service + "\",\"ipv4\":\"" + ipv4 + "\""
        + (port > 0 ? ",\"port\":" + port : "") + "}");
    t.text(",\"remoteEndpoint\":{" + (remoteService != null ? "\"serviceName\":\"" + remoteService + "\"," : "")
        + "\"ipv4\":\"" + remoteIpv4 + "\",\"port\":" + remotePort + "}");
    if (kind.equals("CLIENT")) {
      t.text(",\"annotations\":[{\"timestamp\":").hole(Kind.TIMESTAMP, trace, 16, startOffsetMicros + 40)
          .text(",\"value\":\"wire send\"}]");
    }
    t.text(",\"tags\":{\"http.method\":\"" + method + "\",\"http.path\":\"" + path + "\",\"http.status_code\":\""
        + status + "\",\"tenant.id\":\"tenant-").hole(Kind.TENANT, trace, 2, 0).text("\",\"tenantry.namespace\":\"bench\""
        + ",\"tenantry.service\":\"" + service + "\",\"tenantry.instance\":\"" + service + "-" + instance + "\""
        + ",\"tenantry.outcome\":\"success\"" + (attempt > 0 ? ",\"tenantry.attempt\":\"" + attempt + "\"" : "") + "}");
    if (shared) {
      t.text(",\"shared\":true");
    }
    t.text("}");
  }

  /** The JSON text with '0' where the holes are, and where they are. */
  private static final class Template {
    final StringBuilder text = new StringBuilder(16 * 1024);
    final List<Hole> holes = new ArrayList<>();

    Template text(String s) {
      text.append(s);
      return this;
    }

    Template hole(Kind kind, int trace, int width, long extra) {
      holes.add(new Hole(text.length(), kind, trace, extra));
      text.append("0".repeat(width));
      return this;
    }
  }

  /** A bijection of 64-bit values (MurmurHash3's finalizer): distinct inputs give distinct, scattered ids. */
  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static void hex(byte[] to, int at, long value) {
    for (int i = 15; i >= 0; i--) {
      to[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  private static void decimal(byte[] to, int at, int width, long value) {
    for (int i = width - 1; i >= 0; i--) {
      to[at + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
