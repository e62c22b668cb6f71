package io.tenantry.server.watch;

import io.tenantry.api.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordering lock, recent history and watcher index of one namespace. Watchers are indexed by
 * kind and, for instance events, by service, so that an event reaches its watchers in
 * O(matching watchers). Everything but {@link #lock} is guarded by {@link #lock}.
 */
final class NamespaceLog {
  final ReentrantLock lock = new ReentrantLock();
  private final EventRing ring;
  /** Every event of this namespace with a revision above the floor is still in the ring. */
  private long floor;
  /** kind -> watchers that want every event of that kind. */
  private final Map<String, Set<Watcher>> wholeKind = new HashMap<>();
  /** service -> instance watchers that named it. */
  private final Map<String, Set<Watcher>> byService = new HashMap<>();
  private final Set<Watcher> all = new LinkedHashSet<>();

  NamespaceLog(int history, long floor) {
    this.ring = new EventRing(history);
    this.floor = floor;
  }

  long floor() {
    return floor;
  }

  void append(FeedEvent e) {
    FeedEvent evicted = ring.add(e);
    if (evicted != null) {
      floor = evicted.revision();
    }
  }

  List<FeedEvent> after(long revision) {
    return ring.after(revision);
  }

  /** Forgets the history: nothing before {@code newFloor} can be resumed any more. */
  void reset(long newFloor) {
    ring.clear();
    floor = newFloor;
  }

  void add(Watcher w) {
    all.add(w);
    for (String kind : w.filter.kinds()) {
      if (WatchEvent.KIND_INSTANCE.equals(kind) && !w.filter.services().isEmpty()) {
        w.filter.services().forEach(s -> byService.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(w));
      } else {
        wholeKind.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(w);
      }
    }
  }

  void remove(Watcher w) {
    all.remove(w);
    for (String kind : w.filter.kinds()) {
      if (WatchEvent.KIND_INSTANCE.equals(kind) && !w.filter.services().isEmpty()) {
        w.filter.services().forEach(s -> removeFrom(byService, s, w));
      } else {
        removeFrom(wholeKind, kind, w);
      }
    }
  }

  /** The watchers an event of {@code kind} in {@code group} goes to; a watcher appears once. */
  List<Watcher> matching(String kind, String group) {
    Set<Watcher> whole = wholeKind.getOrDefault(kind, Set.of());
    Set<Watcher> some = WatchEvent.KIND_INSTANCE.equals(kind) ? byService.getOrDefault(group, Set.of()) : Set.of();
    List<Watcher> out = new ArrayList<>(whole.size() + some.size());
    out.addAll(whole);
    for (Watcher w : some) {
      if (!whole.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  List<Watcher> watchers() {
    return new ArrayList<>(all);
  }

  boolean idle() {
    return all.isEmpty() && ring.size() == 0;
  }

  private static void removeFrom(Map<String, Set<Watcher>> index, String key, Watcher w) {
    Set<Watcher> set = index.get(key);
    if (set != null && set.remove(w) && set.isEmpty()) {
      index.remove(key);
    }
  }
}
