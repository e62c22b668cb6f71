package io.tenantry.client.internal.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands sampled spans, once ended, to an exporter in batches on one daemon thread: a bounded queue that a call
 * only offers to (never waits), so exporting never blocks or fails a call; a span that finds the queue full is
 * dropped and counted. Exports a batch when it is full or every {@link #INTERVAL_MILLIS}; {@link #shutdown}
 * exports what is queued. Thread-safe.
 */
final class SpanQueue implements SpanProcessor {
  static final int BATCH = 512;
  static final long INTERVAL_MILLIS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(SpanQueue.class);

  private final ArrayBlockingQueue<ReadableSpan> queue;
  private final SpanExporter exporter;
  private final Thread worker;
  private final AtomicBoolean stopping = new AtomicBoolean();
  final LongAdder exported = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder failed = new LongAdder();

  SpanQueue(SpanExporter exporter, int capacity, String name) {
    this.exporter = exporter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, name);
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (span.getSpanContext().isSampled() && !queue.offer(span)) {
      dropped.increment();
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  private void run() {
    List<ReadableSpan> batch = new ArrayList<>(BATCH);
    while (!stopping.get()) {
      try {
        ReadableSpan first = queue.poll(INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        // A batch goes when full or INTERVAL_MILLIS after its first span: few posts, each of many spans.
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
        while (batch.size() < BATCH && !stopping.get()) {
          queue.drainTo(batch, BATCH - batch.size());
          long left = deadline - System.nanoTime();
          if (batch.size() >= BATCH || left <= 0) {
            break;
          }
          ReadableSpan next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        export(batch);
      } catch (InterruptedException e) {
        queue.addAll(batch.subList(0, Math.min(batch.size(), queue.remainingCapacity()))); // exported by shutdown
        break;
      } catch (RuntimeException e) {
        LOG.warn("span export failed", e);
        batch.clear();
      }
    }
  }

  private void export(List<ReadableSpan> batch) {
    List<SpanData> data = new ArrayList<>(batch.size());
    for (ReadableSpan s : batch) {
      data.add(s.toSpanData());
    }
    batch.clear();
    CompletableResultCode result = exporter.export(data).join(30, TimeUnit.SECONDS);
    (result.isSuccess() ? exported : failed).add(data.size());
  }

  /** Exports what is queued, on the caller's thread, after the worker stopped. */
  @Override
  public CompletableResultCode shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    worker.interrupt();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ReadableSpan> rest = new ArrayList<>(BATCH);
    while (queue.drainTo(rest, BATCH) > 0) {
      export(rest);
    }
    return exporter.shutdown();
  }

  /** Exports what is queued now (for tests and a client's close). */
  @Override
  public CompletableResultCode forceFlush() {
    List<ReadableSpan> rest = new ArrayList<>(BATCH);
    synchronized (this) {
      while (queue.drainTo(rest, BATCH) > 0) {
        export(rest);
      }
    }
    return CompletableResultCode.ofSuccess();
  }
}
