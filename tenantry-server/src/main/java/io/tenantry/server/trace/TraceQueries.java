package io.tenantry.server.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Function;
import zipkin2.DependencyLink;
import zipkin2.Span;
import zipkin2.internal.DependencyLinker;
import zipkin2.storage.QueryRequest;

/**
 * The Zipkin v2 queries over one namespace's spans in memory, with Zipkin's own semantics ({@link QueryRequest}
 * decides what matches, {@link DependencyLinker} links services). A non-null {@code tenant} first narrows every
 * trace to the spans tagged {@code tenant.id=<tenant>}: no answer for a tenant ever holds another tenant's span.
 * Thread-safe; answers are copies.
 */
public final class TraceQueries {
  /** The span tag that names the tenant a span was served for. */
  public static final String TENANT_TAG = "tenant.id";

  private final SpanMemory memory;
  private final List<String> autocompleteKeys;

  TraceQueries(SpanMemory memory, List<String> autocompleteKeys) {
    this.memory = memory;
    this.autocompleteKeys = autocompleteKeys;
  }

  public List<String> services(String namespace, String tenant) {
    return names(namespace, tenant, NamespaceSpans::services, span -> span.localServiceName());
  }

  public List<String> spanNames(String namespace, String service, String tenant) {
    return names(namespace, tenant, ns -> ns.spanNames(service),
        span -> service.equals(span.localServiceName()) ? span.name() : null);
  }

  public List<String> remoteServices(String namespace, String service, String tenant) {
    return names(namespace, tenant, ns -> ns.remoteServices(service),
        span -> service.equals(span.localServiceName()) ? span.remoteServiceName() : null);
  }

  public List<String> autocompleteKeys() {
    return autocompleteKeys;
  }

  public List<String> autocompleteValues(String namespace, String key, String tenant) {
    if (!autocompleteKeys.contains(key)) {
      return List.of();
    }
    return names(namespace, tenant, ns -> ns.tagValues(key), span -> span.tags().get(key));
  }

  /** The traces that match {@code request}, newest first (by their first timestamp), at most its limit. */
  public List<List<Span>> traces(String namespace, QueryRequest request, String tenant) {
    // the newest `limit` matches by reference (stable under the lock), copied once chosen: no copy of every match
    PriorityQueue<Match> newest = new PriorityQueue<>(Comparator.comparingLong(Match::start));
    List<List<Span>> chosen = new ArrayList<>();
    spans(namespace).ifPresent(ns -> ns.forEachTrace(trace -> {
      List<Span> spans = ofTenant(trace.spans, tenant);
      if (spans.isEmpty() || !request.test(spans)) {
        return;
      }
      long start = startOf(spans);
      if (newest.size() < request.limit()) {
        newest.add(new Match(start, spans));
      } else if (start > newest.peek().start()) {
        newest.poll();
        newest.add(new Match(start, spans));
      }
    }, () -> newest.forEach(m -> chosen.add(List.copyOf(m.spans())))));
    chosen.sort(Comparator.comparingLong(TraceQueries::startOf).reversed());
    return chosen;
  }

  /** The spans of one trace (a normalized id), or an empty list. */
  public List<Span> trace(String namespace, String traceId, String tenant) {
    List<Span> spans = spans(namespace).map(ns -> ns.trace(traceId)).orElse(null);
    return spans == null ? List.of() : ofTenant(spans, tenant);
  }

  /** Service links of the traces that started in {@code (endTs - lookback, endTs]} (epoch ms). */
  public List<DependencyLink> dependencies(String namespace, long endTs, long lookback, String tenant) {
    QueryRequest window = QueryRequest.newBuilder().endTs(endTs).lookback(lookback).limit(1).build();
    DependencyLinker linker = new DependencyLinker();
    spans(namespace).ifPresent(ns -> ns.forEachTrace(trace -> {
      List<Span> spans = ofTenant(trace.spans, tenant);
      if (!spans.isEmpty() && window.test(spans)) {
        linker.putTrace(new ArrayList<>(spans)); // the linker is given its own list: the live one stays as it is
      }
    }, () -> { }));
    return linker.link();
  }

  private record Match(long start, List<Span> spans) {}

  private Optional<NamespaceSpans> spans(String namespace) {
    return memory.namespace(namespace);
  }

  /** From the index without a tenant; from the tenant's spans (a scan) with one. */
  private List<String> names(String namespace, String tenant, Function<NamespaceSpans, List<String>> indexed,
      Function<Span, String> name) {
    Optional<NamespaceSpans> spans = spans(namespace);
    if (spans.isEmpty()) {
      return List.of();
    }
    if (tenant == null) {
      return indexed.apply(spans.get());
    }
    TreeSet<String> names = new TreeSet<>();
    spans.get().forEachTrace(trace -> {
      for (Span span : trace.spans) {
        String n = tenant.equals(span.tags().get(TENANT_TAG)) ? name.apply(span) : null;
        if (n != null && !n.isEmpty()) {
          names.add(n);
        }
      }
    }, () -> { });
    return List.copyOf(names);
  }

  private static List<Span> ofTenant(List<Span> spans, String tenant) {
    if (tenant == null) {
      return spans;
    }
    List<Span> mine = new ArrayList<>(spans.size());
    for (Span span : spans) {
      if (tenant.equals(span.tags().get(TENANT_TAG))) {
        mine.add(span);
      }
    }
    return mine;
  }

  /** The trace's earliest timestamp (micros), 0 if none has one. */
  private static long startOf(List<Span> trace) {
    long start = Long.MAX_VALUE;
    for (Span span : trace) {
      long ts = span.timestampAsLong();
      if (ts != 0 && ts < start) {
        start = ts;
      }
    }
    return start == Long.MAX_VALUE ? 0 : start;
  }
}
