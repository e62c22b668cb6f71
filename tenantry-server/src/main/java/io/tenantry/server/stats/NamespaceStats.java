package io.tenantry.server.stats;

import io.tenantry.api.stats.StatsEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One namespace's statistics: a ring of time slots, each a map of cells by key. Reports add to the slot of
 * the moment they arrive; a slot past the retention is reused. Thread-safe: every method locks the namespace
 * (reports arrive every few seconds per instance, reads are rare).
 */
final class NamespaceStats {
  private record Slot(long index, Map<StatsKey, Cell> cells) {}

  private final Slot[] ring;
  private final int maxKeysPerSlot;
  /** Cells held by every namespace together: a slot's cells are given back when it is reused or dropped. */
  private final CellBudget budget;

  NamespaceStats(int slots, int maxKeysPerSlot, CellBudget budget) {
    this.ring = new Slot[slots];
    this.maxKeysPerSlot = maxKeysPerSlot;
    this.budget = budget;
  }

  /**
   * Adds {@code entries} (keys and what was reported for them) to slot {@code index} as one step; returns how
   * many were dropped by the caps.
   */
  synchronized int add(long index, List<Map.Entry<StatsKey, StatsEntry>> entries) {
    Slot slot = slot(index);
    int dropped = 0;
    for (Map.Entry<StatsKey, StatsEntry> e : entries) {
      Cell c = slot.cells.get(e.getKey());
      if (c == null && slot.cells.size() < maxKeysPerSlot && budget.take()) {
        c = new Cell();
        slot.cells.put(e.getKey(), c);
      }
      if (c == null) {
        dropped++;
      } else {
        c.add(e.getValue());
      }
    }
    return dropped;
  }

  /** Gives back the cells of slots before {@code oldest}: they are past the retention. */
  synchronized void expire(long oldest) {
    for (int i = 0; i < ring.length; i++) {
      if (ring[i] != null && ring[i].index < oldest) {
        budget.give(ring[i].cells.size());
        ring[i] = null;
      }
    }
  }

  /** Each key's sum over slots {@code from..to} (copies, free of the lock). */
  synchronized Map<StatsKey, Cell> sums(long from, long to) {
    Map<StatsKey, Cell> out = new HashMap<>();
    forEach(from, to, (k, c) -> out.computeIfAbsent(k, x -> new Cell()).add(c));
    return out;
  }

  /** Gives back every cell held: the namespace is gone. */
  synchronized void clear() {
    for (int i = 0; i < ring.length; i++) {
      if (ring[i] != null) {
        budget.give(ring[i].cells.size());
        ring[i] = null;
      }
    }
  }

  private void forEach(long from, long to, BiConsumer<StatsKey, Cell> action) {
    for (long i = Math.max(from, to - ring.length + 1); i <= to; i++) {
      Slot s = ring[(int) Math.floorMod(i, (long) ring.length)];
      if (s != null && s.index == i) {
        s.cells.forEach(action);
      }
    }
  }

  private Slot slot(long index) {
    int at = (int) Math.floorMod(index, (long) ring.length);
    Slot s = ring[at];
    if (s == null || s.index != index) {
      if (s != null) {
        budget.give(s.cells.size());
      }
      s = new Slot(index, new HashMap<>());
      ring[at] = s;
    }
    return s;
  }

  /** The cells all namespaces may hold together. Thread-safe. */
  static final class CellBudget {
    private final java.util.concurrent.atomic.AtomicLong left;

    CellBudget(long max) {
      this.left = new java.util.concurrent.atomic.AtomicLong(max);
    }

    boolean take() {
      return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    void give(long n) {
      left.addAndGet(n);
    }

    long left() {
      return left.get();
    }
  }
}
