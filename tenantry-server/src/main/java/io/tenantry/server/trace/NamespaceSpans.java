package io.tenantry.server.trace;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import zipkin2.Span;

/**
 * One namespace's spans in memory: grouped by trace in the order traces first arrived (so the oldest trace is
 * the first to go, by age or by size), with the names the queries list. Thread-safe: one monitor guards it,
 * held for one batch or one query, never across a request.
 */
final class NamespaceSpans {
  /** A trace's spans as they arrived; {@code firstArrival} in epoch ms. Guarded by the owning NamespaceSpans. */
  static final class TraceSpans {
    final String traceId;
    final long firstArrival;
    final ArrayList<Span> spans = new ArrayList<>(4);

    TraceSpans(String traceId, long firstArrival) {
      this.traceId = traceId;
      this.firstArrival = firstArrival;
    }
  }

  private final List<String> autocompleteKeys;
  private final LinkedHashMap<String, TraceSpans> traces = new LinkedHashMap<>();
  /** service → its span names ("" stands for a span without a name, so that its service is listed all the same). */
  private final NameCounts spanNames = new NameCounts();
  private final NameCounts remoteServices = new NameCounts();
  private final NameCounts tagValues = new NameCounts();
  private volatile int spanCount;

  NamespaceSpans(List<String> autocompleteKeys) {
    this.autocompleteKeys = autocompleteKeys;
  }

  /** Spans held; read without the lock (for choosing whom to evict). */
  int spanCount() {
    return spanCount;
  }

  synchronized void add(List<Span> spans, long arrival) {
    for (Span span : spans) {
      TraceSpans trace = traces.get(span.traceId());
      if (trace == null) {
        trace = new TraceSpans(span.traceId(), arrival);
        traces.put(span.traceId(), trace);
      }
      trace.spans.add(span);
      index(span, true);
    }
    spanCount += spans.size();
  }

  /** Removes the oldest traces until at least {@code spans} spans are gone (or none is left); returns how many went. */
  synchronized int evictOldest(int spans) {
    int removed = 0;
    for (Iterator<TraceSpans> it = traces.values().iterator(); removed < spans && it.hasNext(); ) {
      removed += remove(it);
    }
    return removed;
  }

  /** Removes the traces that first arrived before {@code cutoff} (epoch ms); returns how many spans went. */
  synchronized int evictArrivedBefore(long cutoff) {
    int removed = 0;
    for (Iterator<TraceSpans> it = traces.values().iterator(); it.hasNext(); ) {
      TraceSpans trace = it.next();
      if (trace.firstArrival >= cutoff) {
        break;
      }
      removed += remove(trace, it);
    }
    return removed;
  }

  /** A copy of one trace's spans, or null. */
  synchronized List<Span> trace(String traceId) {
    TraceSpans trace = traces.get(traceId);
    return trace == null ? null : List.copyOf(trace.spans);
  }

  /**
   * Calls {@code visitor} with each trace, oldest first, then {@code done}, all under the lock: a trace's span
   * list may be kept by reference until {@code done} returns (it must copy what it keeps beyond that).
   */
  synchronized void forEachTrace(Consumer<TraceSpans> visitor, Runnable done) {
    traces.values().forEach(visitor);
    done.run();
  }

  synchronized List<String> services() {
    return spanNames.keys();
  }

  synchronized List<String> spanNames(String service) {
    return spanNames.names(service).stream().filter(n -> !n.isEmpty()).toList();
  }

  synchronized List<String> remoteServices(String service) {
    return remoteServices.names(service);
  }

  synchronized List<String> tagValues(String key) {
    return tagValues.names(key);
  }

  private int remove(Iterator<TraceSpans> it) {
    return remove(it.next(), it);
  }

  private int remove(TraceSpans trace, Iterator<TraceSpans> it) {
    it.remove();
    for (Span span : trace.spans) {
      index(span, false);
    }
    spanCount -= trace.spans.size();
    return trace.spans.size();
  }

  /** Adds or removes what the name queries list for one span. */
  private void index(Span span, boolean add) {
    String service = span.localServiceName();
    if (service != null) {
      count(spanNames, service, span.name() == null ? "" : span.name(), add);
      if (span.remoteServiceName() != null) {
        count(remoteServices, service, span.remoteServiceName(), add);
      }
    }
    if (!span.tags().isEmpty()) {
      // a few configured keys looked up in the span's sorted tags: cheaper than hashing every tag key of the span
      for (String key : autocompleteKeys) {
        String value = span.tags().get(key);
        if (value != null) {
          count(tagValues, key, value, add);
        }
      }
    }
  }

  private static void count(NameCounts counts, String key, String name, boolean add) {
    if (add) {
      counts.add(key, name);
    } else {
      counts.remove(key, name);
    }
  }
}
