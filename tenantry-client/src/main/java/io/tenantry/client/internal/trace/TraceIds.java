package io.tenantry.client.internal.trace;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random trace and span ids, as OpenTelemetry's default generator makes them, except that a trace id chosen
 * beforehand on this thread ({@link #preset}) is used for the next root span: the sampling decision of a root is
 * then taken once, on the id the span gets, before any span is built. Thread-safe (one preset per thread).
 */
final class TraceIds implements IdGenerator {
  private final ThreadLocal<String> preset = new ThreadLocal<>();

  static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long high = r.nextLong();
    long low;
    do {
      low = r.nextLong();
    } while (low == 0 && high == 0);
    return TraceId.fromLongs(high, low);
  }

  static String newSpanId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long id;
    do {
      id = r.nextLong();
    } while (id == 0);
    return SpanId.fromLong(id);
  }

  /** The SDK's next root span on this thread gets {@code traceId}. */
  void preset(String traceId) {
    preset.set(traceId);
  }

  @Override
  public String generateSpanId() {
    return newSpanId();
  }

  @Override
  public String generateTraceId() {
    String p = preset.get();
    if (p != null) {
      preset.remove();
      return p;
    }
    return newTraceId();
  }
}
