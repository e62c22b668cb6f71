package io.tenantry.server.trace;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import zipkin2.Span;

/**
 * Every namespace's spans in memory, at most {@code maxSpans} in all: past that, the oldest traces of the
 * namespace holding the most spans go first, so that a noisy namespace evicts its own traces before anyone
 * else's. Thread-safe.
 */
final class SpanMemory {
  private final int maxSpans;
  private final List<String> autocompleteKeys;
  private final TraceMeters meters;
  private final Map<String, NamespaceSpans> namespaces = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  SpanMemory(int maxSpans, List<String> autocompleteKeys, TraceMeters meters) {
    this.maxSpans = maxSpans;
    this.autocompleteKeys = autocompleteKeys;
    this.meters = meters;
  }

  void add(String namespace, List<Span> spans, long arrival) {
    namespaces.computeIfAbsent(namespace, ns -> new NamespaceSpans(autocompleteKeys)).add(spans, arrival);
    long held = total.addAndGet(spans.size());
    while (held > maxSpans) {
      NamespaceSpans largest = largest();
      if (largest == null) {
        break;
      }
      int removed = largest.evictOldest((int) Math.min(Integer.MAX_VALUE, held - maxSpans));
      if (removed == 0) {
        break;
      }
      meters.evicted("size", removed);
      held = total.addAndGet(-removed);
    }
  }

  /** Forgets the traces that first arrived before {@code cutoff} (epoch ms). */
  void evictArrivedBefore(long cutoff) {
    for (NamespaceSpans spans : namespaces.values()) {
      int removed = spans.evictArrivedBefore(cutoff);
      if (removed > 0) {
        total.addAndGet(-removed);
        meters.evicted("age", removed);
      }
    }
  }

  void drop(String namespace) {
    NamespaceSpans gone = namespaces.remove(namespace);
    if (gone != null) {
      total.addAndGet(-gone.spanCount());
    }
  }

  /** The spans of a namespace, if it has any. */
  Optional<NamespaceSpans> namespace(String namespace) {
    return Optional.ofNullable(namespaces.get(namespace));
  }

  long held() {
    return total.get();
  }

  private NamespaceSpans largest() {
    NamespaceSpans largest = null;
    for (NamespaceSpans spans : namespaces.values()) {
      if (largest == null || spans.spanCount() > largest.spanCount()) {
        largest = spans;
      }
    }
    return largest;
  }
}
