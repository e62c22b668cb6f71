package io.tenantry.client.internal;

import io.tenantry.api.EventType;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.WatchEvent;
import java.time.Clock;
import java.util.Collection;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one service as this client knows them. Two views: the live view follows the
 * control plane exactly (lists and events applied by revision, older or duplicate ones ignored);
 * the served view is what lookups get, a volatile immutable list sorted by id, equal to the live view
 * except while {@link EmptyPushGuard} holds back a drop (then: the live instances plus the held ones
 * the control plane has not removed gracefully).
 *
 * <p>Thread-safety: writers synchronize on this object; {@link #served()} is a lock-free volatile
 * read. Callers notify listeners after a write returns, outside the lock.
 */
public final class ServiceCache {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceCache.class);
  /** Lease expiries closer together than this count as one burst, compared with the UP count before it. */
  static final java.time.Duration BURST_WINDOW = java.time.Duration.ofSeconds(30);

  private final String service;
  private final EmptyPushGuard guard;
  private final Clock clock;
  private final Counters counters;

  private final Map<String, Instance> live = new TreeMap<>(); // sorted by id: a change costs O(n), no sort
  private long revision = -1;
  private Map<String, Instance> held;
  private long holdStartMillis;
  /** What this client learnt of each instance's load, kept across views (see {@link Routes}). */
  private final Map<String, Load> loads = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Routes routes = Routes.EMPTY; // the served view and its candidates, swapped together
  private volatile boolean ready;
  private boolean listed;
  private volatile boolean holding;
  private int burstBaseline = -1;
  private long lastExpiryMillis;

  public ServiceCache(String service, EmptyPushGuard guard, Clock clock, Counters counters) {
    this.service = service;
    this.guard = guard;
    this.clock = clock;
    this.counters = counters;
  }

  /** What a write did: {@code changed} is false when the served view stayed the same (no-op updates are dropped). */
  public record Change(List<Instance> served, boolean changed) {
    static final Change NONE = new Change(List.of(), false);
  }

  public String service() {
    return service;
  }

  /** The served view: immutable, sorted by id. Never blocks. */
  public List<Instance> served() {
    return routes.all();
  }

  /** The served view with its candidates per tenant worked out; a new object after each change. Never blocks. */
  public Routes routes() {
    return routes;
  }

  /** True once a list (or an on-disk snapshot) has been applied. */
  public boolean ready() {
    return ready;
  }

  /** True while empty-push protection holds instances back. */
  public boolean holding() {
    return holding;
  }

  /** The revision of the last list or event applied, -1 before any. */
  public synchronized long revision() {
    return revision;
  }

  /**
   * Replaces the live view with a list the control plane took at {@code listRevision}. A list older
   * than what is held is ignored unless {@code force} (a relist after the stream broke: the control
   * plane may have lost its history). A drop against what was served is subject to protection.
   */
  public synchronized Change applyList(long listRevision, Collection<Instance> items, boolean force) {
    if (listRevision < revision && !force) {
      return Change.NONE;
    }
    boolean first = !ready;
    replaceLive(items);
    revision = listRevision;
    listed = true;
    ready = true;
    return recompute(first ? EmptyPushGuard.Source.EVENT : EmptyPushGuard.Source.RELIST);
  }

  /**
   * Seeds the cache from an on-disk snapshot so a cold start serves at once. Its revision is not
   * trusted (the control plane may have been replaced), so the next list applies whatever its revision,
   * and events wait for that list.
   */
  public synchronized Change applySnapshot(Collection<Instance> items) {
    if (ready) {
      return Change.NONE;
    }
    replaceLive(items);
    ready = true;
    return recompute(EmptyPushGuard.Source.EVENT);
  }

  /**
   * Applies one instance event. An event at or below the revision held is a duplicate and is ignored,
   * as is any event before the first list (the list, and the resumed stream after it, carry it).
   */
  public synchronized Change applyEvent(EventType type, Instance instance, long eventRevision, String reason) {
    if (!listed || eventRevision <= revision) {
      return Change.NONE;
    }
    revision = eventRevision;
    EmptyPushGuard.Source source = EmptyPushGuard.Source.EVENT;
    if (type == EventType.DELETED) {
      live.remove(instance.id());
      if (WatchEvent.REASON_EXPIRED.equals(reason)) {
        source = EmptyPushGuard.Source.EXPIRY;
        long now = clock.millis();
        if (burstBaseline < 0 || now - lastExpiryMillis > BURST_WINDOW.toMillis()) {
          burstBaseline = upCount(served()); // expiries one by one must not wear protection down
        }
        lastExpiryMillis = now;
      } else if (held != null) {
        held.remove(instance.id()); // a graceful leave always applies, even during a hold
      }
    } else {
      live.put(instance.id(), instance);
    }
    return recompute(source);
  }


  /** Ends a hold whose limit has passed; cheap when there is none. */
  public Change tick() {
    if (!holding) {
      return Change.NONE;
    }
    synchronized (this) {
      return recompute(EmptyPushGuard.Source.EVENT);
    }
  }

  private Change recompute(EmptyPushGuard.Source source) {
    int previousUp = source == EmptyPushGuard.Source.EXPIRY ? burstBaseline : upCount(served());
    if (source != EmptyPushGuard.Source.EXPIRY) {
      burstBaseline = -1;
    }
    List<Instance> liveList = List.copyOf(live.values());
    List<Instance> next;
    if (held != null) {
      int heldUp = upCount(held.values());
      int liveUp = upCount(live.values());
      if (guard.recovered(heldUp, liveUp) || guard.expired(holdStartMillis, clock.millis())) {
        LOG.info("service {}: empty-push protection ends ({} of {} held instances UP again{})", service, liveUp,
            heldUp, guard.recovered(heldUp, liveUp) ? "" : "; hold limit reached");
        held = null;
        next = liveList;
      } else {
        next = merged();
      }
    } else if (guard.shouldHold(source, previousUp, upCount(live.values()))) {
      held = new LinkedHashMap<>();
      for (Instance i : served()) {
        held.put(i.id(), i);
      }
      holdStartMillis = clock.millis();
      burstBaseline = -1;
      counters.protectionEpisodes.increment();
      LOG.warn("service {}: empty-push protection holds {} instances: the control plane now reports {} UP after a {}"
          + " (threshold {}); serving the held instances until it recovers or the hold limit passes", service,
          upCount(served()), upCount(live.values()), source == EmptyPushGuard.Source.RELIST ? "relist" : "lease expiry",
          guard.threshold());
      next = merged();
    } else {
      next = liveList;
    }
    holding = held != null;
    if (same(served(), next)) {
      return Change.NONE;
    }
    routes = new Routes(next, loads);
    return new Change(next, true);
  }

  private void replaceLive(Collection<Instance> items) {
    live.clear();
    for (Instance i : items) {
      if (service.equals(i.service())) {
        live.put(i.id(), i);
      }
    }
  }

  private List<Instance> merged() {
    Map<String, Instance> m = new TreeMap<>(held);
    m.putAll(live);
    return List.copyOf(m.values());
  }

  static int upCount(Collection<Instance> instances) {
    int n = 0;
    for (Instance i : instances) {
      if (i.status() == InstanceStatus.UP) {
        n++;
      }
    }
    return n;
  }


  private static boolean same(List<Instance> a, List<Instance> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
