package io.tenantry.server.tx;

import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.server.store.StoreException;
import io.tenantry.server.store.TxStore;
import io.tenantry.server.store.TxWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's durable log with group commit: every write waiting when the writer thread comes round goes
 * into one database transaction (one commit, one fsync on PostgreSQL), and each caller's future completes once
 * that transaction committed. Under load a caller waits about one commit; alone, it pays one commit too.
 * Thread-safe; {@link #close} fails what is still queued.
 */
final class TxLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TxLog.class);
  /** Writes per database transaction at most. */
  private static final int MAX_GROUP = 512;

  private record Pending(TxWrite write, CompletableFuture<TxStore.Outcome> done) {}

  private final TxStore store;
  private final TxMeters meters;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  TxLog(TxStore store, TxMeters meters) {
    this.store = store;
    this.meters = meters;
    this.writer = DaemonThreads.named("tenantry-tx-log").newThread(this::run);
  }

  void start() {
    writer.start();
  }

  /** Completes when {@code write} is durable (or not applied because its condition failed). */
  CompletableFuture<TxStore.Outcome> append(TxWrite write) {
    CompletableFuture<TxStore.Outcome> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new StoreException("the transaction log is closed", null));
      return done;
    }
    queue.add(new Pending(write, done));
    return done;
  }

  /** As {@link #append}, waiting; a write that failed throws its failure. */
  boolean write(TxWrite write) {
    TxStore.Outcome outcome = append(write).join();
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    return outcome.applied();
  }

  private void run() {
    List<Pending> group = new ArrayList<>(MAX_GROUP);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        flush(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        group.clear();
      }
    }
    failQueued();
  }

  private void flush(List<Pending> group) {
    List<TxWrite> writes = new ArrayList<>(group.size());
    group.forEach(p -> writes.add(p.write()));
    meters.group(writes.size());
    try {
      List<TxStore.Outcome> outcomes = store.write(writes);
      for (int i = 0; i < group.size(); i++) {
        group.get(i).done().complete(outcomes.get(i));
      }
    } catch (RuntimeException e) {
      LOG.warn("transaction log: a group of {} writes failed: {}", group.size(), e.getMessage());
      group.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  private void failQueued() {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done().completeExceptionally(new StoreException("the transaction log is closed", null));
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}
