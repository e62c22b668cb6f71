package io.tenantry.server.trace;

import io.tenantry.server.internal.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that hands the batches queued to it to {@code handler}, as many at a time as are waiting (up to
 * {@code maxDrain}): one stage of the collector's pipeline. The queue itself is unbounded; the intake's permits
 * bound what is in it. {@link #close()} lets it finish what was queued, then stops it. Thread-safe.
 */
final class BatchWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);
  private static final SpanBatch END = new SpanBatch("", List.of(), 0);

  private final LinkedBlockingQueue<SpanBatch> queue = new LinkedBlockingQueue<>();
  private final Consumer<List<SpanBatch>> handler;
  private final int maxDrain;
  private final Thread thread;

  BatchWorker(String name, int maxDrain, Consumer<List<SpanBatch>> handler) {
    this.handler = handler;
    this.maxDrain = maxDrain;
    this.thread = DaemonThreads.named(name).newThread(this::run);
  }

  void start() {
    thread.start();
  }

  void add(SpanBatch batch) {
    queue.add(batch);
  }

  private void run() {
    List<SpanBatch> batches = new ArrayList<>();
    boolean ending = false;
    while (!ending) {
      try {
        batches.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batches, maxDrain);
      ending = batches.remove(END);
      try {
        handler.accept(batches);
      } catch (RuntimeException e) {
        LOG.error("{} failed on {} batches", thread.getName(), batches.size(), e);
      }
      batches.clear();
    }
  }

  /** Handles what is queued (for at most 10 seconds), then stops. Idempotent. */
  @Override
  public void close() {
    if (!thread.isAlive()) {
      return;
    }
    queue.add(END);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
