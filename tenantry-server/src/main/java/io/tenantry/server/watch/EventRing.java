package io.tenantry.server.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} events of one namespace in revision order. Not thread-safe: guarded by
 * the namespace's ordering lock.
 */
final class EventRing {
  private final int capacity;
  private FeedEvent[] slots;
  private int start;
  private int size;

  /** Starts small and grows to {@code capacity}: most namespaces never fill their history. */
  EventRing(int capacity) {
    this.capacity = capacity;
    slots = new FeedEvent[Math.min(capacity, 16)];
  }

  /** Appends {@code e}; returns the evicted event or null. */
  FeedEvent add(FeedEvent e) {
    if (size == slots.length && size < capacity) {
      FeedEvent[] bigger = new FeedEvent[(int) Math.min(capacity, 2L * size)];
      for (int i = 0; i < size; i++) {
        bigger[i] = get(i);
      }
      slots = bigger;
      start = 0;
    }
    FeedEvent evicted = null;
    if (size == slots.length) {
      evicted = slots[start];
      slots[start] = e;
      start = (start + 1) % slots.length;
    } else {
      slots[(start + size) % slots.length] = e;
      size++;
    }
    return evicted;
  }

  /** Events with a revision greater than {@code revision}, oldest first. */
  List<FeedEvent> after(long revision) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (get(mid).revision() <= revision) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    List<FeedEvent> out = new ArrayList<>(size - lo);
    for (int i = lo; i < size; i++) {
      out.add(get(i));
    }
    return out;
  }

  void clear() {
    slots = new FeedEvent[Math.min(capacity, 16)];
    start = 0;
    size = 0;
  }

  int size() {
    return size;
  }

  private FeedEvent get(int i) {
    return slots[(start + i) % slots.length];
  }
}
