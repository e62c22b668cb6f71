package io.tenantry.server.trace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector's meters, on the server's registry ({@code /metrics}): spans accepted, refused (503, by
 * namespace), dropped after acceptance (the store failed them) and evicted (by age or size); POSTs rejected as
 * bad input; spans held and in intake. Counters are looked up once per namespace and reason, not per request.
 * Thread-safe.
 */
public final class TraceMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public TraceMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void accepted(String namespace, int spans) {
    counter("tenantry.spans.accepted", "spans accepted by the collector", "namespace", namespace).increment(spans);
  }

  /** Spans of a well-formed POST refused because the intake was full (answered 503). */
  void refused(String namespace, int spans) {
    counter("tenantry.spans.refused", "spans refused because the intake was full (503)", "namespace", namespace)
        .increment(spans);
  }

  /** A POST refused as bad input; {@code reason} is the problem type (invalid-input, payload-too-large, ...). */
  public void rejected(String namespace, String reason) {
    Counter.builder("tenantry.spans.rejected.requests")
        .description("span POSTs refused as malformed, oversized or of an unsupported type")
        .tag("namespace", namespace).tag("reason", reason)
        .register(registry).increment();
  }

  /** Accepted spans the durable store failed to keep (they stay in memory until evicted). */
  void dropped(int spans) {
    counter("tenantry.spans.dropped", "accepted spans the store failed to keep", "reason", "store-failure")
        .increment(spans);
  }

  void evicted(String reason, int spans) {
    counter("tenantry.spans.evicted", "spans evicted from memory by retention", "reason", reason).increment(spans);
  }

  MeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(name + '\0' + value,
        k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }
}
