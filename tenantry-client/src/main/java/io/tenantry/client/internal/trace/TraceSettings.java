package io.tenantry.client.internal.trace;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where a client's spans go and how many root traces it samples without a policy. Immutable.
 *
 * @param export      where sampled spans are sent
 * @param endpoint    the Zipkin or OTLP endpoint URL; null for the control plane or none
 * @param sampleRatio the root sampling ratio when no tracing policy applies, 0..1
 * @param queueSize   how many finished spans wait for export at most; more are dropped and counted
 */
public record TraceSettings(Export export, URI endpoint, double sampleRatio, int queueSize) {
  public static final double DEFAULT_RATIO = 0.1;
  public static final int DEFAULT_QUEUE = 2048;
  public static final TraceSettings DEFAULT = new TraceSettings(Export.CONTROL_PLANE, null, DEFAULT_RATIO,
      DEFAULT_QUEUE);
  static final String SYNTAX = "control-plane, none, zipkin:<http(s) URL of /api/v2/spans> or otlp:<http(s) URL of"
      + " /v1/traces>";

  /** Where spans go. */
  public enum Export {
    /** {@code POST /api/v2/spans} of the control plane, with the client's API key. */
    CONTROL_PLANE,
    /** Any Zipkin v2 endpoint (JSON). */
    ZIPKIN,
    /** An OTLP/HTTP endpoint (needs {@code opentelemetry-exporter-otlp} on the class path). */
    OTLP,
    /** Nowhere: no spans are recorded; trace context and the MDC still pass through. */
    NONE
  }

  public TraceSettings {
    Objects.requireNonNull(export, "export");
    if ((export == Export.ZIPKIN || export == Export.OTLP) != (endpoint != null)) {
      throw new IllegalArgumentException("traceExport: endpoint " + endpoint + " for " + export
          + " (expected: " + SYNTAX + ")");
    }
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("traceSampleRatio: " + sampleRatio + " (expected: 0..1)");
    }
    if (queueSize < 1 || queueSize > 1 << 20) {
      throw new IllegalArgumentException("traceQueueSize: " + queueSize + " (expected: 1 to 1048576)");
    }
  }

  /** These settings exporting as {@code text} says: {@value #SYNTAX}. */
  public TraceSettings withExport(String text) {
    Objects.requireNonNull(text, "traceExport");
    String t = text.trim();
    int colon = t.indexOf(':');
    String kind = colon < 0 ? t : t.substring(0, colon);
    switch (kind) {
      case "control-plane", "none" -> {
        if (colon >= 0) {
          break;
        }
        return new TraceSettings(kind.equals("none") ? Export.NONE : Export.CONTROL_PLANE, null, sampleRatio,
            queueSize);
      }
      case "zipkin", "otlp" -> {
        URI url = url(t.substring(colon + 1), text);
        return new TraceSettings(kind.equals("zipkin") ? Export.ZIPKIN : Export.OTLP, url, sampleRatio, queueSize);
      }
      default -> {
      }
    }
    throw new IllegalArgumentException("traceExport: '" + text + "' (expected: " + SYNTAX + ")");
  }

  public TraceSettings withSampleRatio(double ratio) {
    return new TraceSettings(export, endpoint, ratio, queueSize);
  }

  public TraceSettings withQueueSize(int size) {
    return new TraceSettings(export, endpoint, sampleRatio, size);
  }

  private static URI url(String s, String text) {
    try {
      URI u = new URI(s);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getRawFragment() == null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new IllegalArgumentException("traceExport: '" + text + "' (expected: " + SYNTAX + ")");
  }
}
