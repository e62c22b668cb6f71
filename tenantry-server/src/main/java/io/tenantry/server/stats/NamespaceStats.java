package io.tenantry.server.stats;

import io.tenantry.api.stats.StatsEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One namespace's statistics: a ring of time slots, each a map of cells by key. Reports add to the slot of
 * the moment they arrive; a slot past the retention is reused. A slot holds at most {@code maxKeysPerSlot}
 * cells of all instances together and as many per instance, so that many instances cannot crowd out the
 * service totals. Thread-safe: every method locks the namespace (reports arrive every few seconds per
 * instance, reads are rare).
 */
final class NamespaceStats {
  private static final class Slot {
    final long index;
    final Map<StatsKey, Cell> cells = new HashMap<>();
    /** How many of {@link #cells} count one instance's calls. */
    int instanceCells;

    Slot(long index) {
      this.index = index;
    }

    int cells(boolean perInstance) {
      return perInstance ? instanceCells : cells.size() - instanceCells;
    }
  }

  /** What {@link #add} dropped: entries whose cell of all instances was refused, and cells of one instance refused. */
  record Dropped(int entries, int instanceCells) {}

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
   * Adds {@code entries} (keys of all instances and what was reported for them) to slot {@code index} as one
   * step, the served ones also to the cells of {@code instance} (unless null); returns what the caps dropped.
   */
  synchronized Dropped add(long index, String instance, List<Map.Entry<StatsKey, StatsEntry>> entries) {
    Slot slot = slot(index);
    int dropped = 0;
    int instanceDropped = 0;
    for (Map.Entry<StatsKey, StatsEntry> e : entries) {
      if (!add(slot, e.getKey(), e.getValue())) {
        dropped++;
      }
      if (instance != null && e.getKey().side() == Side.SERVED && !add(slot, e.getKey().of(instance), e.getValue())) {
        instanceDropped++;
      }
    }
    return new Dropped(dropped, instanceDropped);
  }

  /** Adds {@code entry} to the cell of {@code key}, made if the caps allow; false if they did not. */
  private boolean add(Slot slot, StatsKey key, StatsEntry entry) {
    Cell c = slot.cells.get(key);
    boolean perInstance = key.instance() != null;
    if (c == null) {
      if (slot.cells(perInstance) >= maxKeysPerSlot || !budget.take()) {
        return false;
      }
      c = new Cell();
      slot.cells.put(key, c);
      if (perInstance) {
        slot.instanceCells++;
      }
    }
    c.add(entry);
    return true;
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

  /**
   * Each key's sum over slots {@code from..to} (copies, free of the lock): the keys of one instance if
   * {@code perInstance}, else those of all instances.
   */
  synchronized Map<StatsKey, Cell> sums(long from, long to, boolean perInstance) {
    Map<StatsKey, Cell> out = new HashMap<>();
    forEach(from, to, (k, c) -> {
      if ((k.instance() != null) == perInstance) {
        out.computeIfAbsent(k, x -> new Cell()).add(c);
      }
    });
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
      s = new Slot(index);
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
