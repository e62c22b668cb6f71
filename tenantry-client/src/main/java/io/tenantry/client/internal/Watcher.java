package io.tenantry.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Instance;
import io.tenantry.api.ListResult;
import io.tenantry.api.Tenant;
import io.tenantry.api.policy.Policy;
import io.tenantry.client.TenantryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one watch stream, carrying every subscribed service and the tenants, read by a
 * dedicated daemon thread. A service's first lookup lists it on the list executor, then asks the
 * thread to reopen the stream with the new set, resuming from the lower of the stream's revision and
 * the list's, so no event is lost (duplicates are dropped by revision in the caches). After the stream
 * breaks, a 410 ({@code revision-gone}) or an {@code ERROR} event, the thread lists everything again
 * (a restarted control plane may have forgotten what it had) and reconnects with exponential backoff
 * and jitter, reset after each successful connect.
 *
 * <p>Thread-safety: {@link #subscribe} and {@link #close} are thread-safe; the rest runs on the thread.
 */
public final class Watcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
  static final int MAX_EVENT_CHARS = 4 << 20;
  /** A stream silent for longer than this (bookmarks come every ~15 s) is taken for dead and reopened. */
  static final long STALE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(45);

  private final ControlPlane controlPlane;
  private final DiscoveryCache cache;
  private final Counters counters;
  private final Backoff backoff;
  private final Executor listExecutor;
  private final String name;
  private final WatchEventApplier applier;

  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private final Set<String> unlisted = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> firstLists = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> firstRelist = new CompletableFuture<>();
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicLong resumeCap = new AtomicLong(Long.MAX_VALUE);
  private final Object wake = new Object();
  private volatile InputStream current;
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile long lastActivityNanos;
  private Thread thread;

  // watch thread only
  private long streamRevision = -1;
  private boolean relistAll = true;
  private boolean initial = true;

  public Watcher(ControlPlane controlPlane, DiscoveryCache cache, Counters counters, Backoff backoff,
      Executor listExecutor, ObjectMapper mapper, String name) {
    this.controlPlane = controlPlane;
    this.cache = cache;
    this.counters = counters;
    this.backoff = backoff;
    this.listExecutor = listExecutor;
    this.name = name;
    this.applier = new WatchEventApplier(cache, mapper, name);
  }

  public synchronized void start() {
    thread = new Thread(this, "tenantry-watch-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Adds services known from a snapshot: they are listed with everything else when the thread starts. */
  public void preload(Iterable<String> services) {
    for (String s : services) {
      subscribed.add(s);
      firstLists.computeIfAbsent(s, k -> CompletableFuture.completedFuture(null));
    }
  }

  /**
   * Subscribes {@code service} if it is new and returns a future completed when its first list was
   * applied or failed (the control plane is unreachable: the thread keeps trying).
   */
  public CompletableFuture<Void> subscribe(String service) {
    CompletableFuture<Void> f = firstLists.computeIfAbsent(service, k -> new CompletableFuture<>());
    if (subscribed.add(service)) {
      listExecutor.execute(() -> listFirst(service));
    }
    return f;
  }

  /** Completed after the first full list (successful or not): tenants are known from then on if reachable. */
  public CompletableFuture<Void> firstRelist() {
    return firstRelist;
  }

  /** True while a stream is open. */
  public boolean connected() {
    return connected;
  }

  /** Closes a stream that has been silent too long (a half-open connection); called periodically. */
  public void checkStale() {
    if (connected && System.nanoTime() - lastActivityNanos > STALE_NANOS) {
      LOG.warn("watch {}: no data for {} s; reconnecting", name, STALE_NANOS / 1_000_000_000L);
      closeQuietly(current);
    }
  }

  public void close() {
    closed = true;
    wakeUp();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void listFirst(String service) {
    try {
      ListResult<Instance> r = controlPlane.listInstances(service);
      cache.applyList(service, r.revision(), r.items(), false);
      resumeCap.accumulateAndGet(r.revision(), Math::min);
    } catch (IOException | TenantryException e) {
      unlisted.add(service);
      LOG.debug("first list of service {} failed; the watch thread retries: {}", service, e.toString());
    } catch (InterruptedException e) {
      unlisted.add(service);
      Thread.currentThread().interrupt();
    } finally {
      firstLists.get(service).complete(null);
      wakeUp();
    }
  }

  /** Makes the thread reopen the stream (new subscription set) or end a backoff sleep. */
  private void wakeUp() {
    generation.incrementAndGet();
    closeQuietly(current);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public void run() {
    int failures = 0;
    while (!closed) {
      int gen = generation.get();
      boolean opened = false;
      try {
        long from = prepare();
        streamRevision = from; // where to resume even if this open fails
        List<String> services = new ArrayList<>(subscribed);
        Collections.sort(services);
        LOG.debug("watch {}: opening for {} from {} (generation {})", name, services, from, gen);
        HttpResponse<InputStream> response = controlPlane.watch(services, from);
        LOG.debug("watch {}: open", name);
        opened = true;
        counters.watchConnects.increment();
        failures = 0;
        current = response.body();
        lastActivityNanos = System.nanoTime();
        connected = true;
        if (generation.get() == gen && !closed) {
          read(response.body(), gen);
        }
        LOG.debug("watch {}: stream ended (generation {} -> {})", name, gen, generation.get());
        if (!closed && generation.get() == gen) {
          relistAll = true; // the server ended the stream: it may be going away
          failures = pause(++failures);
        }
      } catch (TenantryException e) {
        if (ControlPlane.REVISION_GONE.equals(e.problemType())) {
          LOG.info("watch {}: revision {} is gone; listing again", name, streamRevision);
          relistAll = true;
        } else {
          if (failures == 0) {
            LOG.warn("watch {}: the control plane refused: {}; retrying with backoff", name, e.getMessage());
          } else {
            LOG.debug("watch {}: refused again: {}", name, e.getMessage());
          }
          failures = pause(++failures);
        }
      } catch (IOException e) {
        if (closed) {
          break;
        }
        if (opened && generation.get() != gen) {
          LOG.debug("watch {}: reopening after {}", name, e.toString());
          continue; // we closed the open stream ourselves to reopen it
        }
        relistAll = true;
        if (failures == 0) {
          LOG.warn("watch {}: control plane unreachable ({}); serving the last known state and retrying", name,
              e.toString());
        }
        failures = pause(++failures);
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        LOG.error("watch {}: unexpected failure; retrying", name, e);
        relistAll = true;
        failures = pause(++failures);
      } finally {
        connected = false;
        closeQuietly(current);
        current = null;
        Thread.interrupted(); // an interrupt only ever means: wake up
      }
    }
  }

  /** Lists what must be listed before (re)opening; returns the revision to resume from. */
  private long prepare() throws IOException, InterruptedException {
    if (relistAll) {
      try {
        return relistEverything();
      } finally {
        firstRelist.complete(null);
      }
    }
    long from = Math.min(streamRevision, resumeCap.getAndSet(Long.MAX_VALUE));
    for (String s : new ArrayList<>(unlisted)) {
      ListResult<Instance> r = controlPlane.listInstances(s);
      cache.applyList(s, r.revision(), r.items(), false);
      unlisted.remove(s);
      from = Math.min(from, r.revision());
    }
    return from;
  }

  private long relistEverything() throws IOException, InterruptedException {
    if (!initial) {
      counters.relists.increment();
    }
    initial = false; // even if this attempt fails: the next one is a relist
    resumeCap.set(Long.MAX_VALUE);
    ListResult<Tenant> t = controlPlane.listTenants();
    cache.applyTenantList(t.revision(), t.items(), true);
    long from = t.revision();
    ListResult<Policy> p = controlPlane.listPolicies();
    cache.policies().applyList(p.revision(), p.items(), true);
    from = Math.min(from, p.revision());
    for (String s : new ArrayList<>(subscribed)) {
      ListResult<Instance> r = controlPlane.listInstances(s);
      cache.applyList(s, r.revision(), r.items(), true);
      unlisted.remove(s);
      from = Math.min(from, r.revision());
    }
    relistAll = false;
    return from;
  }

  private void read(InputStream body, int gen) throws IOException {
    SseParser parser = new SseParser(MAX_EVENT_CHARS);
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      lastActivityNanos = System.nanoTime();
      if (generation.get() != gen || closed) {
        return;
      }
      SseParser.Event e = parser.line(line);
      if (e == null) {
        continue;
      }
      if ("ERROR".equals(e.event())) {
        LOG.warn("watch {}: the control plane ended the stream ({}); listing again", name, e.data());
        relistAll = true;
        return;
      }
      streamRevision = Math.max(streamRevision, applier.apply(e));
    }
  }

  /** Sleeps the backoff for {@code failures}, waking early on a new subscription or close; returns failures. */
  private int pause(int failures) {
    long millis = backoff.equalJitter(failures).toMillis();
    long deadline = System.nanoTime() + millis * 1_000_000;
    int gen = generation.get();
    synchronized (wake) {
      while (!closed && generation.get() == gen) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        try {
          wake.wait(left);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    return failures;
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing to abort a read: nothing to do
      }
    }
  }
}
