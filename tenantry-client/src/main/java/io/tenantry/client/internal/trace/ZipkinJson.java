package io.tenantry.client.internal.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes spans as a Zipkin v2 JSON list, following OpenTelemetry's documented mapping to Zipkin: the resource's
 * {@code service.name} is the local endpoint, {@code peer.service} the remote one (with {@code server.address} and
 * {@code server.port}); the kind as is but INTERNAL left out; every attribute a string tag; a status other than
 * unset as {@code otel.status_code}, an error's description as {@code error}; the instrumentation scope as
 * {@code otel.scope.name}; events as annotations. Stateless.
 */
final class ZipkinJson {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final JsonFactory JSON = new JsonFactory();

  private ZipkinJson() {}

  static byte[] encode(Collection<SpanData> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * spans.size() + 2);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (SpanData s : spans) {
        write(g, s);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, SpanData s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.getTraceId());
    if (s.getParentSpanContext().isValid()) {
      g.writeStringField("parentId", s.getParentSpanId());
    }
    g.writeStringField("id", s.getSpanId());
    String kind = kind(s.getKind());
    if (kind != null) {
      g.writeStringField("kind", kind);
    }
    g.writeStringField("name", s.getName());
    long start = TimeUnit.NANOSECONDS.toMicros(s.getStartEpochNanos());
    g.writeNumberField("timestamp", start);
    g.writeNumberField("duration", Math.max(1, TimeUnit.NANOSECONDS.toMicros(s.getEndEpochNanos()) - start));
    String local = s.getResource().getAttribute(SERVICE_NAME);
    g.writeObjectFieldStart("localEndpoint");
    g.writeStringField("serviceName", local == null ? "unknown" : local);
    g.writeEndObject();
    Attributes a = s.getAttributes();
    String peer = a.get(PEER_SERVICE);
    if (peer != null) {
      g.writeObjectFieldStart("remoteEndpoint");
      g.writeStringField("serviceName", peer);
      String address = a.get(SERVER_ADDRESS);
      Long port = a.get(SERVER_PORT);
      if (address != null && address.indexOf(':') < 0 && address.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
        g.writeStringField("ipv4", address);
      }
      if (port != null && port > 0 && port < 65536) {
        g.writeNumberField("port", port);
      }
      g.writeEndObject();
    }
    List<EventData> events = s.getEvents();
    if (!events.isEmpty()) {
      g.writeArrayFieldStart("annotations");
      for (EventData e : events) {
        g.writeStartObject();
        g.writeNumberField("timestamp", TimeUnit.NANOSECONDS.toMicros(e.getEpochNanos()));
        g.writeStringField("value", e.getName());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeObjectFieldStart("tags");
    for (Map.Entry<AttributeKey<?>, Object> e : a.asMap().entrySet()) {
      g.writeStringField(e.getKey().getKey(), tag(e.getValue()));
    }
    if (s.getStatus().getStatusCode() != StatusCode.UNSET) {
      g.writeStringField("otel.status_code", s.getStatus().getStatusCode().name());
      if (s.getStatus().getStatusCode() == StatusCode.ERROR) {
        g.writeStringField("error", s.getStatus().getDescription());
      }
    }
    g.writeStringField("otel.scope.name", s.getInstrumentationScopeInfo().getName());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String tag(Object value) {
    if (value instanceof List<?> list) { // arrays as JSON arrays of strings, as OpenTelemetry's mapping says
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        b.append(i == 0 ? "" : ",").append('"').append(String.valueOf(list.get(i)).replace("\\", "\\\\")
            .replace("\"", "\\\"")).append('"');
      }
      return b.append(']').toString();
    }
    return String.valueOf(value);
  }

  private static String kind(SpanKind kind) {
    return switch (kind) {
      case SERVER -> "SERVER";
      case CLIENT -> "CLIENT";
      case PRODUCER -> "PRODUCER";
      case CONSUMER -> "CONSUMER";
      case INTERNAL -> null;
    };
  }
}
