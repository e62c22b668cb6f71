package io.tenantry.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tenantry.api.Json;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxState;
import io.tenantry.server.internal.DaemonThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction log of the embedded store (one process per data directory): every unfinished transaction lives
 * in memory, where each write's condition is decided; a write that applied is appended to a {@link TxJournal}
 * (group commit) and durable when {@link #write} or {@link #register} returns. The database ({@link JdbcTxStore}
 * on H2) is written behind, every {@link #WRITE_BEHIND} or so, with each changed transaction as it then stands (a
 * transaction begun and committed in between is one row), together with the journal position it covers; after a
 * crash the journal's records past that position are applied again. So a decision costs an append to a file, not
 * a database commit, while lists, history and operators' queries keep reading tables. Finished transactions leave
 * memory once written. Thread-safe.
 */
final class JournaledTxStore implements TxStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournaledTxStore.class);
  /** Milliseconds between writes behind. */
  static final long WRITE_BEHIND = 100;
  private static final ObjectMapper JSON = Json.newMapper();
  private static final ObjectWriter WRITER = JSON.writerFor(TxWrite.class);
  private static final ObjectReader READER = JSON.readerFor(TxWrite.class);

  private final JdbcTxStore tables;
  private final Predicate<String> namespaceExists;
  private final Map<String, HotTx> hot = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<HotTx> changed = new ConcurrentLinkedQueue<>();
  /** Writers share it; a write behind takes it alone to see memory exactly as of one journal position. */
  private final ReadWriteLock snapshotLock = new ReentrantReadWriteLock();
  private final Set<String> knownNamespaces = ConcurrentHashMap.newKeySet();
  private final TxJournal journal;
  private final Thread writer;
  /** The journal position the tables hold; guarded by {@code this}. */
  private long savedMark;
  private volatile boolean closed;

  /**
   * Loads the unfinished transactions of {@code tables}, applies the journal in {@code dir} past the position the
   * tables hold, writes the result to the tables and starts writing behind.
   */
  JournaledTxStore(JdbcTxStore tables, Path dir, Predicate<String> namespaceExists) {
    this.tables = tables;
    this.namespaceExists = namespaceExists;
    for (StoredTx s : tables.unfinished()) {
      hot.put(s.xid(), load(s));
    }
    long mark = tables.journalMark();
    int[] replayed = {0};
    this.journal = TxJournal.open(dir, mark, (seq, bytes) -> {
      replay(decode(bytes));
      replayed[0]++;
    });
    this.savedMark = mark;
    if (replayed[0] > 0) {
      LOG.info("transaction journal: {} records past what the store held applied again", replayed[0]);
    }
    writeBehind();
    this.writer = DaemonThreads.named("tenantry-tx-write-behind").newThread(this::writeBehindLoop);
    writer.start();
  }

  @Override
  public boolean groupsWrites() {
    return true;
  }

  @Override
  public List<Outcome> write(List<TxWrite> writes) {
    List<Outcome> outcomes = new ArrayList<>(writes.size());
    long last = 0;
    for (TxWrite w : writes) {
      try {
        long seq = apply(w);
        outcomes.add(seq > 0 ? Outcome.APPLIED : Outcome.NOT_APPLIED);
        last = Math.max(last, seq);
      } catch (StoreException e) {
        outcomes.add(new Outcome(false, e));
      }
    }
    journal.flush(last);
    return outcomes;
  }

  /** Applies {@code w} in memory and queues its journal record; the record's number, 0 if it did not apply. */
  private long apply(TxWrite w) {
    snapshotLock.readLock().lock();
    try {
      if (w instanceof TxWrite.Begin b) {
        return begin(b);
      }
      while (true) {
        HotTx h = lookup(null, w.xid());
        if (h == null) {
          return 0;
        }
        synchronized (h) {
          if (h.evicted) {
            continue;
          }
          if (h.apply(w)) {
            changed(h);
            return journal.enqueue(encode(w));
          }
          dropIfIdle(h);
          return 0;
        }
      }
    } finally {
      snapshotLock.readLock().unlock();
    }
  }

  private long begin(TxWrite.Begin b) {
    String ns = b.tx().tx().namespace();
    if (!knownNamespaces.contains(ns)) {
      if (!namespaceExists.test(ns)) {
        throw new ParentGoneException("namespace '" + ns + "' does not exist", null);
      }
      knownNamespaces.add(ns);
    }
    // no look at the tables for an older one: an xid is its begin time and 80 random bits
    HotTx h = HotTx.begun(b.tx());
    synchronized (h) {
      if (hot.putIfAbsent(b.xid(), h) != null) {
        throw new StoreException("transaction " + b.xid() + " exists", null);
      }
      changed(h);
      return journal.enqueue(encode(b));
    }
  }

  /** Queues {@code h} (whose monitor the caller holds) for the next write behind. */
  private void changed(HotTx h) {
    if (!h.queued) {
      h.queued = true;
      changed.add(h);
    }
  }

  /** Lets go of a finished transaction loaded for a write that did not apply (the caller holds its monitor). */
  private void dropIfIdle(HotTx h) {
    if (h.isFinal() && !h.queued) {
      h.evicted = true;
      hot.remove(h.tx.xid(), h);
    }
  }

  @Override
  public BranchRegistration register(String namespace, String xid, NewBranch b, int maxBranches) {
    long seq;
    BranchRegistration answer;
    snapshotLock.readLock().lock();
    try {
      while (true) {
        HotTx h = lookup(namespace, xid);
        if (h == null) {
          return new BranchRegistration(BranchRegistration.Outcome.NOT_FOUND, null, null);
        }
        synchronized (h) {
          if (h.evicted) {
            continue;
          }
          StoredTx tx = h.tx;
          BranchRegistration.Outcome refused = !tx.tx().tenant().equals(b.tenant()) ? BranchRegistration.Outcome.WRONG_TENANT
              : tx.state() != TxState.ACTIVE ? BranchRegistration.Outcome.NOT_ACTIVE
              : !b.at().isBefore(tx.tx().deadline()) ? BranchRegistration.Outcome.EXPIRED : null;
          if (refused != null) {
            dropIfIdle(h);
            return new BranchRegistration(refused, null, tx);
          }
          Branch existing = h.branch(b.service(), b.action(), b.key());
          if (existing != null) {
            return new BranchRegistration(BranchRegistration.Outcome.EXISTING, existing, tx);
          }
          if (tx.branchCount() >= maxBranches) {
            return new BranchRegistration(BranchRegistration.Outcome.TOO_MANY, null, tx);
          }
          Branch created = new Branch(tx.branchCount() + 1, b.service(), b.action(), b.key(), b.instance(),
              BranchState.REGISTERED, 0, null, b.at(), b.at(), JdbcTxStore.parse(b.data()));
          TxWrite.AddBranch add = new TxWrite.AddBranch(xid, created);
          h.apply(add);
          changed(h);
          seq = journal.enqueue(encode(add));
          answer = new BranchRegistration(BranchRegistration.Outcome.CREATED, created, tx);
          break;
        }
      }
    } finally {
      snapshotLock.readLock().unlock();
    }
    journal.flush(seq);
    return answer;
  }

  /** The transaction in memory, loaded from the tables if it is not (null if it is in neither, or another namespace's). */
  private HotTx lookup(String namespace, String xid) {
    HotTx h = hot.get(xid);
    if (h == null) {
      Optional<StoredTx> stored = tables.get(null, xid);
      if (stored.isEmpty()) {
        return null;
      }
      h = hot.computeIfAbsent(xid, x -> load(stored.get()));
    }
    return namespace == null || h.tx.tx().namespace().equals(namespace) ? h : null;
  }

  private HotTx load(StoredTx s) {
    JdbcTxStore.Events events = tables.storedEvents(s.xid());
    return HotTx.stored(s, tables.branches(s.xid()), events.all(), events.rows().size());
  }

  /** Applies a journal record again after a restart, in memory (it applied when it was written, in this order). */
  private void replay(TxWrite w) {
    boolean applied;
    if (w instanceof TxWrite.Begin b) {
      HotTx h = HotTx.begun(b.tx());
      applied = hot.putIfAbsent(b.xid(), h) == null;
      if (applied) {
        changed(h);
      }
    } else {
      HotTx h = lookup(null, w.xid());
      applied = h != null && h.apply(w);
      if (applied) {
        changed(h);
      }
    }
    if (!applied) {
      LOG.warn("transaction journal: a record of {} did not apply again ({}); skipped", w.xid(), w.getClass().getSimpleName());
    }
  }

  @Override
  public Optional<StoredTx> get(String namespace, String xid) {
    HotTx h = hot.get(xid);
    if (h == null) {
      return tables.get(namespace, xid);
    }
    synchronized (h) {
      return namespace == null || h.tx.tx().namespace().equals(namespace) ? Optional.of(h.tx) : Optional.empty();
    }
  }

  @Override
  public List<Branch> branches(String xid) {
    HotTx h = hot.get(xid);
    if (h == null) {
      return tables.branches(xid);
    }
    synchronized (h) {
      return List.copyOf(h.branches);
    }
  }

  @Override
  public List<TxEvent> events(String xid) {
    HotTx h = hot.get(xid);
    if (h == null) {
      return tables.events(xid);
    }
    synchronized (h) {
      return List.copyOf(h.events);
    }
  }

  /**
   * The tables' rows of {@code namespace} and the transactions in memory, memory winning: the tables are asked
   * for as many more rows as memory holds of the namespace, which is at most how many of them memory replaces.
   */
  @Override
  public List<StoredTx> list(String namespace, String tenant, TxState state, String before, int limit) {
    Set<String> inMemory = new HashSet<>();
    List<StoredTx> merged = new ArrayList<>();
    for (HotTx h : hot.values()) {
      StoredTx s = current(h);
      if (s.tx().namespace().equals(namespace)) {
        inMemory.add(s.xid());
        if ((tenant == null || tenant.equals(s.tx().tenant())) && (state == null || state == s.state())
            && (before == null || s.xid().compareTo(before) < 0)) {
          merged.add(s);
        }
      }
    }
    for (StoredTx s : tables.list(namespace, tenant, state, before, limit + inMemory.size())) {
      if (!inMemory.contains(s.xid())) {
        merged.add(s);
      }
    }
    merged.sort(Comparator.comparing(StoredTx::xid).reversed());
    return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
  }

  /** Memory holds every unfinished transaction: the scans need not read the tables. */
  @Override
  public List<StoredTx> inPhaseTwo(int limit) {
    return unfinished(s -> s.state() == TxState.COMMITTING || s.state() == TxState.ROLLING_BACK,
        Comparator.comparing(StoredTx::xid), limit);
  }

  @Override
  public List<StoredTx> expired(Instant now, int limit) {
    return unfinished(s -> s.state() == TxState.ACTIVE && s.tx().deadline().isBefore(now),
        Comparator.comparing((StoredTx s) -> s.tx().deadline()), limit);
  }

  private List<StoredTx> unfinished(Predicate<StoredTx> which, Comparator<StoredTx> order, int limit) {
    List<StoredTx> found = new ArrayList<>();
    for (HotTx h : hot.values()) {
      StoredTx s = current(h);
      if (which.test(s)) {
        found.add(s);
      }
    }
    found.sort(order);
    return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
  }

  private static StoredTx current(HotTx h) {
    synchronized (h) {
      return h.tx;
    }
  }

  @Override
  public int purge(Instant before) {
    writeBehind(); // the finished transactions still only in memory first: then the tables know every one
    return tables.purge(before);
  }

  @Override
  public boolean lead() {
    return tables.lead();
  }

  /** How many transactions memory holds. */
  int inMemory() {
    return hot.size();
  }

  /** A namespace was deleted: its transactions went with its rows; memory forgets them too. */
  void forgetNamespace(String namespace) {
    knownNamespaces.remove(namespace);
    hot.values().removeIf(h -> {
      synchronized (h) {
        if (h.tx.tx().namespace().equals(namespace)) {
          h.evicted = true;
          return true;
        }
        return false;
      }
    });
  }

  /** Never interrupted: an interrupt in H2's file I/O closes its file channel, and with it the database. */
  private void writeBehindLoop() {
    long pause = WRITE_BEHIND;
    while (!closed) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return; // close() writes the last
      }
      try {
        writeBehind();
        pause = WRITE_BEHIND;
      } catch (RuntimeException e) {
        LOG.warn("transaction log: writing behind to the store failed (tried again in 1 s; the journal keeps every"
            + " decision meanwhile): {}{}", e.getMessage(), e.getCause() == null ? "" : ": " + e.getCause().getMessage());
        pause = 1000;
      }
    }
  }

  /**
   * Writes every changed transaction as memory holds it to the tables, with the journal position that covers
   * exactly those changes, then lets go of finished transactions and of the journal before that position.
   */
  synchronized void writeBehind() {
    List<TxSnapshot> batch = new ArrayList<>();
    List<HotTx> written = new ArrayList<>();
    long mark;
    snapshotLock.writeLock().lock();
    try {
      mark = journal.lastSeq();
      HotTx h;
      while ((h = changed.poll()) != null) {
        h.queued = false;
        if (!h.evicted) {
          batch.add(h.snapshot());
          written.add(h);
        }
      }
    } finally {
      snapshotLock.writeLock().unlock();
    }
    if (batch.isEmpty() && mark == savedMark) {
      return;
    }
    journal.flush(mark); // the tables never get ahead of the journal
    try {
      tables.save(batch, mark);
    } catch (StoreException e) {
      requeue(written);
      throw e;
    }
    for (int i = 0; i < written.size(); i++) {
      HotTx w = written.get(i);
      synchronized (w) {
        w.saved(batch.get(i));
        if (w.isFinal() && !w.queued) {
          w.evicted = true;
          hot.remove(w.tx.xid(), w);
        }
      }
    }
    savedMark = mark;
    journal.release(mark);
  }

  private void requeue(List<HotTx> written) {
    for (HotTx h : written) {
      synchronized (h) {
        if (!h.queued && !h.evicted) {
          h.queued = true;
          changed.add(h);
        }
      }
    }
  }

  private static byte[] encode(TxWrite w) {
    try {
      return WRITER.writeValueAsBytes(w);
    } catch (IOException e) {
      throw new StoreException("transaction journal: cannot encode a write of " + w.xid(), e);
    }
  }

  private static TxWrite decode(byte[] bytes) {
    try {
      return READER.readValue(bytes);
    } catch (IOException e) {
      throw new StoreException("transaction journal: a record is not a write of this version: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000); // within a pause and the write under way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      writeBehind();
    } catch (RuntimeException e) {
      LOG.warn("transaction log: the last write behind failed; the journal keeps it for the next start: {}", e.getMessage());
    }
    journal.close();
  }
}
