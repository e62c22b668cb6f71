package io.tenantry.client.internal.trace;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;

/**
 * The OTLP/HTTP exporter, from the optional {@code opentelemetry-exporter-otlp} (with its JDK sender,
 * {@code opentelemetry-exporter-sender-jdk}): this class is loaded only when OTLP export is chosen, so a client
 * without those jars on its class path works as long as it does not choose it.
 */
final class OtlpExport {
  private OtlpExport() {}

  static SpanExporter exporter(URI endpoint, Duration timeout) {
    try {
      return OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).setTimeout(timeout).build();
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("traceExport otlp: needs io.opentelemetry:opentelemetry-exporter-otlp and"
          + " opentelemetry-exporter-sender-jdk on the class path", e);
    }
  }
}
