package io.tenantry.server.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * A hashed timing wheel of lease deadlines with one slot per reaper tick. Heartbeats never touch it:
 * a lease is filed once under the tick of its deadline, and when that tick comes the reaper re-checks
 * the lease and files it again if it was renewed meanwhile. So the reaper touches each lease about
 * once per lease length instead of scanning every lease every tick. Thread-safe (synchronized: filing
 * happens on registration and in the reaper, never on a heartbeat).
 */
final class ExpiryWheel {
  private record Entry(Lease lease, long tick) {}

  private final long tickMillis;
  private final List<Entry>[] slots;
  private final int mask;
  /** Every tick up to this one has been handed out by {@link #due}. */
  private long lastTick;

  @SuppressWarnings("unchecked")
  ExpiryWheel(long tickMillis, long horizonMillis, long virtualNow) {
    this.tickMillis = tickMillis;
    long wanted = Math.min(1 << 16, Math.max(64, horizonMillis / tickMillis + 2));
    int size = Integer.highestOneBit((int) wanted - 1) << 1;
    this.slots = new List[size];
    for (int i = 0; i < size; i++) {
      slots[i] = new ArrayList<>();
    }
    this.mask = size - 1;
    this.lastTick = Math.floorDiv(virtualNow, tickMillis);
  }

  /** Files {@code lease} to be looked at once {@code deadline} has passed; a lease filed earlier is refiled. */
  synchronized void schedule(Lease lease, long deadline) {
    long tick = Math.max(ceilDiv(deadline, tickMillis), lastTick + 1);
    lease.scheduledTick = tick;
    slots[(int) (tick & mask)].add(new Entry(lease, tick));
  }

  /** The leases filed under every tick up to {@code virtualNow}; the caller checks and refiles them. */
  synchronized List<Lease> due(long virtualNow) {
    long now = Math.floorDiv(virtualNow, tickMillis);
    List<Lease> out = new ArrayList<>();
    long from = Math.max(lastTick + 1, now - slots.length + 1);
    for (long t = from; t <= now; t++) {
      List<Entry> slot = slots[(int) (t & mask)];
      if (slot.isEmpty()) {
        continue;
      }
      List<Entry> keep = new ArrayList<>();
      for (Entry e : slot) {
        if (e.lease.removed || e.lease.scheduledTick != e.tick) {
          continue; // gone, or refiled under another tick
        }
        if (e.tick > now) {
          keep.add(e); // a later turn of the wheel
        } else {
          out.add(e.lease);
        }
      }
      slots[(int) (t & mask)] = keep;
    }
    lastTick = Math.max(lastTick, now);
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
