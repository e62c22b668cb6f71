package io.tenantry.server.trace;

import java.util.List;
import zipkin2.Span;

/** The spans of one accepted POST, their namespace and when they arrived (epoch ms). Immutable. */
record SpanBatch(String namespace, List<Span> spans, long arrival) {
  /** The spans in {@code batches}. */
  static int count(List<SpanBatch> batches) {
    int n = 0;
    for (SpanBatch b : batches) {
      n += b.spans().size();
    }
    return n;
  }
}
