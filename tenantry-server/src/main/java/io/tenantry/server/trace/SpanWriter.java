package io.tenantry.server.trace;

import io.tenantry.server.store.SpanStore;
import io.tenantry.server.store.StoredSpan;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.Span;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Writes batches of spans behind to the durable store, as many as have queued up in one transaction, each span
 * encoded once as proto3 (compact, and decoded at start without loss). A failed write is logged and counted as
 * dropped; its spans stay in memory until evicted. Either way the spans' intake permits are given back. Runs on
 * its worker's thread.
 */
final class SpanWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);

  private final SpanStore store;
  private final SpanIntake intake;
  private final TraceMeters meters;

  SpanWriter(SpanStore store, SpanIntake intake, TraceMeters meters) {
    this.store = store;
    this.intake = intake;
    this.meters = meters;
  }

  void write(List<SpanBatch> batches) {
    int count = SpanBatch.count(batches);
    try {
      List<StoredSpan> rows = new ArrayList<>(count);
      for (SpanBatch b : batches) {
        for (Span span : b.spans()) {
          rows.add(new StoredSpan(b.namespace(), span.traceId(), b.arrival(), SpanBytesEncoder.PROTO3.encode(span)));
        }
      }
      store.append(rows);
    } catch (RuntimeException e) {
      meters.dropped(count);
      LOG.warn("{} spans were not stored (they stay in memory until evicted): {}", count, e.getMessage());
    } finally {
      intake.release(count);
    }
  }
}
