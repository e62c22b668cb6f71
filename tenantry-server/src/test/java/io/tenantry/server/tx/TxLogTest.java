package io.tenantry.server.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxState;
import io.tenantry.server.store.BranchRegistration;
import io.tenantry.server.store.StoredTx;
import io.tenantry.server.store.TxStore;
import io.tenantry.server.store.TxWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TxLogTest {
  private static final int XIDS = 32;
  private static final int WRITES_PER_XID = 20;

  @Test
  void severalLanes_keepEachTransactionsWritesInOrder_andNeverWriteOneTransactionInTwoLanesAtOnce() {
    RecordingStore store = new RecordingStore(4);
    List<CompletableFuture<TxStore.Outcome>> futures = new ArrayList<>();
    try (TxLog log = new TxLog(store, new TxMeters(new SimpleMeterRegistry()))) {
      log.start();
      for (int n = 1; n <= WRITES_PER_XID; n++) {
        for (int x = 0; x < XIDS; x++) {
          futures.add(log.append(update("xid-" + x, n)));
        }
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    assertThat(futures).allSatisfy(f -> assertThat(f.join().applied()).isTrue());
    for (int x = 0; x < XIDS; x++) {
      String xid = "xid-" + x;
      List<Integer> written = store.written.stream().filter(w -> w.xid().equals(xid)).map(TxWrite.BranchUpdate::attempts).toList();
      assertThat(written).as(xid).hasSize(WRITES_PER_XID).isSorted();
      assertThat(store.threadsOf.get(xid)).as("the writer threads of " + xid).hasSize(1);
    }
    assertThat(Set.copyOf(store.threadsOf.values())).as("lanes used").hasSizeGreaterThan(1);
    assertThat(store.overlapped).as("a transaction in two groups under way at once").isFalse();
  }

  @Test
  void oneWriter_writesEverythingOnOneThread() {
    RecordingStore store = new RecordingStore(1);
    try (TxLog log = new TxLog(store, new TxMeters(new SimpleMeterRegistry()))) {
      log.start();
      for (int x = 0; x < XIDS; x++) {
        assertThat(log.write(update("xid-" + x, 1))).isTrue();
      }
    }
    assertThat(Set.copyOf(store.threadsOf.values())).hasSize(1);
  }

  private static TxWrite.BranchUpdate update(String xid, int attempt) {
    return new TxWrite.BranchUpdate(xid, 1, BranchState.REGISTERED, BranchState.REGISTERED, attempt, null, Instant.EPOCH);
  }

  /** Applies every write, remembering the order, the thread and whether a transaction was in two groups at once. */
  private static final class RecordingStore implements TxStore {
    final int writers;
    final List<TxWrite.BranchUpdate> written = new CopyOnWriteArrayList<>();
    final Map<String, Set<String>> threadsOf = new ConcurrentHashMap<>();
    final Set<String> underWay = ConcurrentHashMap.newKeySet();
    volatile boolean overlapped;

    RecordingStore(int writers) {
      this.writers = writers;
    }

    @Override
    public int writers() {
      return writers;
    }

    @Override
    public List<Outcome> write(List<TxWrite> writes) {
      Set<String> mine = new java.util.HashSet<>();
      for (TxWrite w : writes) {
        if (mine.add(w.xid()) && !underWay.add(w.xid())) {
          overlapped = true;
        }
      }
      Thread.yield(); // let other lanes run while this group is "under way"
      List<Outcome> outcomes = new ArrayList<>();
      for (TxWrite w : writes) {
        written.add((TxWrite.BranchUpdate) w);
        threadsOf.computeIfAbsent(w.xid(), x -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName()
            + "#" + Thread.currentThread().getId());
        outcomes.add(Outcome.APPLIED);
      }
      underWay.removeAll(mine);
      return outcomes;
    }

    @Override
    public BranchRegistration register(String namespace, String xid, NewBranch branch, int maxBranches) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<StoredTx> get(String namespace, String xid) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Branch> branches(String xid) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<TxEvent> events(String xid) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredTx> list(String namespace, String tenant, TxState state, String before, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredTx> inPhaseTwo(int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredTx> expired(Instant now, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int purge(Instant before) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean lead() {
      return true;
    }
  }
}
