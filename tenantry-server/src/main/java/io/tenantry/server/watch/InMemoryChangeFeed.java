package io.tenantry.server.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.EventType;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.api.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * The change feed of one control-plane process: one global revision counter (reserved in blocks
 * from a {@link RevisionStore}, so it keeps growing across restarts), a per-namespace ordering lock,
 * the last {@link WatchSettings#historyPerNamespace()} events of every namespace for resuming, and the
 * watch streams fed from it.
 *
 * <p>Each event is serialized once into an SSE frame; the same bytes are queued on every matching
 * stream, found through an index by kind and service, so an event costs O(matching watchers). A
 * stream whose queue overflows is closed with a final {@code ERROR} frame (slow consumer; the client
 * lists again). Every stream receives a {@code BOOKMARK} each {@link WatchSettings#bookmarkInterval()}.
 *
 * <p>Thread-safe. {@link #start()} starts the bookmark timer (the first watch starts it too);
 * {@link #close()} ends every stream promptly and stops the feed's threads. Call it before stopping
 * the web server so that open streams do not hold the server's shutdown.
 */
public final class InMemoryChangeFeed implements ChangeFeed, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InMemoryChangeFeed.class);
  private final WatchSettings settings;
  private final RevisionBlocks revisions;
  private final long startRevision;
  private final Frames frames;
  private final ConcurrentHashMap<String, NamespaceLog> logs = new ConcurrentHashMap<>();
  private final ExecutorService flusher;
  private final ScheduledExecutorService ticker;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger watchers = new AtomicInteger();
  private final Counter eventsSent;
  private final Counter slowConsumers;
  private final Counter appended;

  public InMemoryChangeFeed(RevisionStore revisions, WatchSettings settings, MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(meters, "meters");
    this.revisions = new RevisionBlocks(revisions, RevisionBlocks.BLOCK);
    this.startRevision = this.revisions.current();
    ObjectMapper mapper = Json.newMapper();
    this.frames = new Frames(mapper);
    // Threads start lazily with the first task: the constructor has no running side effects.
    this.flusher = Executors.newFixedThreadPool(2, DaemonThreads.named("tenantry-watch-flusher"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tenantry-watch-bookmarks"));
    Gauge.builder("tenantry.watch.watchers", watchers, AtomicInteger::get)
        .description("open watch streams").register(meters);
    this.eventsSent = Counter.builder("tenantry.watch.events.sent")
        .description("event frames queued to watch streams").register(meters);
    this.slowConsumers = Counter.builder("tenantry.watch.slow.consumer.disconnects")
        .description("watch streams closed because their queue overflowed").register(meters);
    this.appended = Counter.builder("tenantry.watch.events.appended")
        .description("changes appended to the feed").register(meters);
  }

  /** Starts the bookmark timer. Idempotent. */
  public void start() {
    if (started.compareAndSet(false, true) && !closed.get()) {
      long every = settings.bookmarkInterval().toMillis();
      ticker.scheduleAtFixedRate(() -> {
        try {
          sendBookmarks();
        } catch (RuntimeException e) { // a failed run must not cancel the timer
          LOG.error("sending bookmarks failed; retrying next interval", e);
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public <T> T append(String namespace, String kind, String key, EventType type, LongFunction<T> change) {
    return append(namespace, kind, key, type, null, change);
  }

  @Override
  public <T> T append(String namespace, String kind, String key, EventType type, String reason,
      LongFunction<T> change) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(change, "change");
    if (type == EventType.BOOKMARK) {
      throw new IllegalArgumentException("type: BOOKMARK (expected: ADDED, MODIFIED or DELETED)");
    }
    NamespaceLog log = log(namespace);
    log.lock.lock();
    try {
      long revision = revisions.next();
      T object = change.apply(revision);
      String group = group(key);
      byte[] frame = frames.event(type, kind, revision, object, reason);
      log.append(new FeedEvent(revision, kind, group, frame));
      appended.increment();
      deliver(log, log.matching(kind, group), frame);
      return object;
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public long currentRevision() {
    return revisions.current();
  }

  /**
   * Taken under the namespace's ordering lock, so every change of the namespace up to the returned
   * revision has been applied by its caller: a list read after this call and a watch from this
   * revision together miss nothing.
   */
  @Override
  public long listRevision(String namespace) {
    NamespaceLog log = log(namespace);
    log.lock.lock();
    try {
      return revisions.current();
    } finally {
      log.lock.unlock();
    }
  }

  /**
   * Throws {@link RevisionGoneException} unless a watch of {@code namespace} can resume after
   * {@code revision}. Call it before answering 200 so that the client gets a plain 410.
   */
  public void checkResumable(String namespace, long revision) {
    NamespaceLog log = log(namespace);
    log.lock.lock();
    try {
      checkResumable(log, revision);
    } finally {
      log.lock.unlock();
    }
  }

  /**
   * Subscribes {@code sink} to the changes of {@code namespace} that match {@code filter}. With a
   * {@code fromRevision}, first queues every retained matching event after it (or throws
   * {@link RevisionGoneException}); then always a {@code BOOKMARK} with the revision the live part
   * starts at, which it returns. The subscription ends when the sink closes.
   */
  public long watch(String namespace, WatchFilter filter, Long fromRevision, WatchSink sink) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(sink, "sink");
    if (closed.get()) {
      throw new IllegalStateException("the change feed is closed");
    }
    start();
    NamespaceLog log = log(namespace);
    Watcher w = new Watcher(namespace, filter, sink);
    log.lock.lock();
    try {
      List<byte[]> backlog = new ArrayList<>();
      if (fromRevision != null) {
        checkResumable(log, fromRevision);
        for (FeedEvent e : log.after(fromRevision)) {
          if (filter.matches(e.kind(), e.group())) {
            backlog.add(e.frame());
          }
        }
      }
      long live = revisions.current();
      backlog.add(frames.bookmark(live));
      log.add(w);
      watchers.incrementAndGet();
      sink.offerAll(backlog);
      eventsSent.increment(backlog.size());
      sink.onClose(() -> unsubscribe(log, w));
      return live;
    } finally {
      log.lock.unlock();
    }
  }

  /**
   * Answers an asynchronous request with an SSE stream of {@code namespace}'s changes matching
   * {@code filter} (resumed after {@code fromRevision} if not null) and returns a future that
   * completes when the stream has ended. Check the revision first with {@link #checkResumable}: if
   * it is gone by the time the stream opens, the stream carries a single {@code ERROR} frame.
   */
  public CompletableFuture<Void> stream(HttpServletRequest req, HttpServletResponse res, String namespace,
      WatchFilter filter, Long fromRevision) throws IOException {
    var async = req.isAsyncStarted() ? req.getAsyncContext() : req.startAsync();
    SseStream stream = new SseStream(res, async, settings.maxQueuedEventsPerWatcher(), flusher);
    try {
      watch(namespace, filter, fromRevision, stream);
    } catch (RevisionGoneException e) {
      stream.close(frames.error(410, "revision-gone", e.getMessage()));
    } catch (IllegalStateException e) {
      stream.close(null); // the feed is closing
    }
    return stream.completion();
  }

  /** Forgets the namespace's history and ends its streams with a final {@code namespace-deleted} error. */
  @Override
  public void dropNamespace(String namespace) {
    NamespaceLog log = logs.get(namespace);
    if (log == null) {
      return;
    }
    log.lock.lock();
    try {
      byte[] last = frames.error(410, "namespace-deleted", "namespace '" + namespace + "' was deleted");
      for (Watcher w : log.watchers()) {
        unsubscribeLocked(log, w);
        w.sink.close(last);
      }
      log.reset(revisions.current());
    } finally {
      log.lock.unlock();
    }
  }

  /** Queues a {@code BOOKMARK} with the current revision on every stream. */
  void sendBookmarks() {
    for (NamespaceLog log : logs.values()) {
      log.lock.lock();
      try {
        List<Watcher> all = log.watchers();
        if (!all.isEmpty()) {
          deliver(log, all, frames.bookmark(revisions.current()));
        }
      } finally {
        log.lock.unlock();
      }
    }
  }

  /** Ends every stream (without a final frame: clients reconnect and resume) and stops the feed's threads. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.shutdownNow();
    for (NamespaceLog log : logs.values()) {
      log.lock.lock();
      try {
        for (Watcher w : log.watchers()) {
          unsubscribeLocked(log, w);
          w.sink.close(null);
        }
      } finally {
        log.lock.unlock();
      }
    }
    flusher.shutdown();
    try {
      flusher.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flusher.shutdownNow();
  }

  int watcherCount() {
    return watchers.get();
  }

  private void deliver(NamespaceLog log, List<Watcher> targets, byte[] frame) {
    List<Watcher> slow = null;
    for (Watcher w : targets) {
      if (!w.sink.offer(frame)) {
        if (slow == null) {
          slow = new ArrayList<>();
        }
        slow.add(w);
      }
    }
    eventsSent.increment(targets.size() - (slow == null ? 0 : slow.size()));
    if (slow != null) {
      byte[] last = frames.error(410, "slow-consumer", "the stream fell more than "
          + settings.maxQueuedEventsPerWatcher() + " events behind (expected: a client that keeps up; list again and watch)");
      for (Watcher w : slow) {
        unsubscribeLocked(log, w);
        slowConsumers.increment();
        w.sink.close(last);
      }
    }
  }

  private void checkResumable(NamespaceLog log, long revision) {
    long current = revisions.current();
    if (revision < log.floor() || revision > current) {
      throw new RevisionGoneException(revision, log.floor(), current);
    }
  }

  private void unsubscribe(NamespaceLog log, Watcher w) {
    log.lock.lock();
    try {
      unsubscribeLocked(log, w);
    } finally {
      log.lock.unlock();
    }
  }

  private void unsubscribeLocked(NamespaceLog log, Watcher w) {
    if (!w.closed) {
      w.closed = true;
      log.remove(w);
      watchers.decrementAndGet();
    }
  }

  private NamespaceLog log(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return logs.computeIfAbsent(namespace, ns -> new NamespaceLog(settings.historyPerNamespace(), startRevision));
  }

  /** The part of a key before the first '/', e.g. the service of {@code service/instance}. */
  static String group(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }
}
