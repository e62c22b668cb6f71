package io.tenantry.server.trace;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the trace collector keeps and takes spans. Immutable; change a copy with the {@code with…} methods,
 * which check the value at once and name the configuration key in their message.
 *
 * @param storage where spans live: {@link Storage#MEMORY} only, or also durably in the {@link Storage#STORE}
 * @param retention how long a span is kept after it was received
 * @param maxSpans most spans kept, over all namespaces (memory and store each)
 * @param maxBodyBytes largest POST body, compressed or not
 * @param intakeSpans most spans accepted but not yet stored
 * @param intakeWait how long a POST may wait for room in a full intake before it is refused with 503: a short
 *     wait slows a sender down (as a collector that stores before it answers does) instead of losing its spans
 * @param maxTagLength longest tag value or annotation, in characters
 * @param autocompleteKeys tag keys whose values {@code /autocompleteValues} offers
 */
public record TraceSettings(Storage storage, Duration retention, int maxSpans, int maxBodyBytes, int intakeSpans,
    Duration intakeWait, int maxTagLength, List<String> autocompleteKeys) {

  /** Where spans live. */
  public enum Storage {
    /** In memory only: gone after a restart. */
    MEMORY,
    /** In memory for queries and, written behind in batches, in the durable store: reloaded at start. */
    STORE;

    public static Storage of(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("trace.storage: '" + text + "' (expected: memory or store)");
      }
    }
  }

  public TraceSettings {
    Objects.requireNonNull(storage, "trace.storage");
    Objects.requireNonNull(retention, "trace.retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("trace.retention: " + retention + " (expected: > 0)");
    }
    atLeast("trace.max-spans", maxSpans, 1);
    atLeast("trace.max-body", maxBodyBytes, 1024);
    atLeast("trace.intake-spans", intakeSpans, 1);
    Objects.requireNonNull(intakeWait, "trace.intake-wait");
    if (intakeWait.isNegative() || intakeWait.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("trace.intake-wait: " + intakeWait + " (expected: 0s to 10s)");
    }
    atLeast("trace.max-tag-length", maxTagLength, 1);
    autocompleteKeys = List.copyOf(autocompleteKeys);
  }

  /** The defaults: durable, a day, Zipkin's 500,000 spans, 5 MB bodies, 100,000 spans in intake, 200 ms wait. */
  public static TraceSettings defaults() {
    return new TraceSettings(Storage.STORE, Duration.ofHours(24), 500_000, 5 * 1024 * 1024, 100_000,
        Duration.ofMillis(200), 65_536,
        List.of("tenant.id", "tenantry.service", "tenantry.route", "tenantry.outcome"));
  }

  public TraceSettings withStorage(Storage v) {
    return new TraceSettings(v, retention, maxSpans, maxBodyBytes, intakeSpans, intakeWait, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withRetention(Duration v) {
    return new TraceSettings(storage, v, maxSpans, maxBodyBytes, intakeSpans, intakeWait, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withMaxSpans(int v) {
    return new TraceSettings(storage, retention, v, maxBodyBytes, intakeSpans, intakeWait, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withMaxBodyBytes(int v) {
    return new TraceSettings(storage, retention, maxSpans, v, intakeSpans, intakeWait, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withIntakeSpans(int v) {
    return new TraceSettings(storage, retention, maxSpans, maxBodyBytes, v, intakeWait, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withIntakeWait(Duration v) {
    return new TraceSettings(storage, retention, maxSpans, maxBodyBytes, intakeSpans, v, maxTagLength, autocompleteKeys);
  }

  public TraceSettings withMaxTagLength(int v) {
    return new TraceSettings(storage, retention, maxSpans, maxBodyBytes, intakeSpans, intakeWait, v, autocompleteKeys);
  }

  public TraceSettings withAutocompleteKeys(List<String> v) {
    return new TraceSettings(storage, retention, maxSpans, maxBodyBytes, intakeSpans, intakeWait, maxTagLength, v);
  }

  /** How often expired spans are looked for: a tenth of the retention, between 100 ms and a minute. */
  Duration sweepInterval() {
    long ms = Math.max(100, Math.min(60_000, retention.toMillis() / 10));
    return Duration.ofMillis(ms);
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: >= " + min + ")");
    }
  }
}
