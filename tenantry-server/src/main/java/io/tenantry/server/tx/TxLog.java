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
 * The coordinator's durable log with group commit: every write waiting when a writer thread comes round goes
 * into one database transaction (one commit, one fsync on PostgreSQL), and each caller's future completes once
 * that transaction committed. Under load a caller waits about one commit; alone, it pays one commit too.
 *
 * <p>The store says how many groups may be written at once ({@link TxStore#writers()}): that many lanes, each
 * with its own queue and writer thread, a transaction's writes always in the lane of its xid. So one
 * transaction's writes stay in the order they were appended, and two lanes never write the same transaction's
 * rows (no lock waits or deadlocks between them), while a store whose commit is a round trip and an fsync
 * (PostgreSQL) keeps several commits under way instead of one. Thread-safe; {@link #close} fails what is still
 * queued. A store that groups concurrent writes itself ({@link TxStore#groupsWrites}) is written from the
 * callers' threads instead: no lane, no hand-off.
 */
final class TxLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TxLog.class);
  /** Writes per database transaction at most. */
  private static final int MAX_GROUP = 512;

  private record Pending(TxWrite write, CompletableFuture<TxStore.Outcome> done) {}

  private final TxStore store;
  private final TxMeters meters;
  private final Lane[] lanes;
  private volatile boolean closed;

  TxLog(TxStore store, TxMeters meters) {
    this.store = store;
    this.meters = meters;
    this.lanes = new Lane[store.groupsWrites() ? 0 : Math.max(1, store.writers())];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
    }
  }

  void start() {
    for (Lane lane : lanes) {
      lane.writer.start();
    }
  }

  /** Completes when {@code write} is durable (or not applied because its condition failed). */
  CompletableFuture<TxStore.Outcome> append(TxWrite write) {
    CompletableFuture<TxStore.Outcome> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(closedLog());
      return done;
    }
    if (store.groupsWrites()) {
      write(List.of(new Pending(write, done)));
      return done;
    }
    lanes[Math.floorMod(write.xid().hashCode(), lanes.length)].queue.add(new Pending(write, done));
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

  /** One queue and the thread that writes it, group by group. */
  private final class Lane {
    final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    final Thread writer = DaemonThreads.named("tenantry-tx-log").newThread(this::run);

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
          write(group);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } finally {
          group.clear();
        }
      }
      failQueued();
    }

    void failQueued() {
      Pending p;
      while ((p = queue.poll()) != null) {
        p.done().completeExceptionally(closedLog());
      }
    }
  }

  private void write(List<Pending> group) {
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

  private static StoreException closedLog() {
    return new StoreException("the transaction log is closed", null);
  }

  @Override
  public void close() {
    closed = true;
    for (Lane lane : lanes) {
      try {
        lane.writer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lane.failQueued();
    }
  }
}
