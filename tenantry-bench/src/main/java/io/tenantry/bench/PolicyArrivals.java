package io.tenantry.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of N clients applied each of a sequence of policy versions: version {@code first + c} is change
 * {@code c}. A client that jumps versions (it applied a later one without the earlier, as after a relist)
 * has every skipped change arrive with the later one. Thread-safe (a client reports on its watch thread, and
 * once on the thread that attached its listener; the lock is held for a few array writes).
 */
final class PolicyArrivals {
  private final long first;
  private final int clients;
  private final int changes;
  private final AtomicLongArray at; // [change * clients + client], 0: not yet
  private final AtomicIntegerArray arrived; // per change
  private final long[] next; // per client: the next change it has not applied; under this object's lock
  private final boolean[] holdsBase; // per client: it applied version first - 1; under this object's lock
  private final AtomicInteger ready = new AtomicInteger();

  /**
   * @param first   the version of change 0; clients are ready once they hold {@code first - 1}
   * @param clients how many clients report
   * @param changes how many changes are tracked
   */
  PolicyArrivals(long first, int clients, int changes) {
    this.first = first;
    this.clients = clients;
    this.changes = changes;
    this.at = new AtomicLongArray(clients * changes);
    this.arrived = new AtomicIntegerArray(changes);
    this.next = new long[clients];
    this.holdsBase = new boolean[clients];
  }

  /** Client {@code client} holds {@code version} now. */
  void applied(int client, long version) {
    long now = System.nanoTime();
    synchronized (this) {
      record(client, version, now);
    }
  }

  private void record(int client, long version, long now) {
    if (version >= first - 1 && !holdsBase[client]) {
      holdsBase[client] = true;
      ready.incrementAndGet();
    }
    long upTo = Math.min(version - first, changes - 1);
    for (long c = next[client]; c <= upTo; c++) {
      at.set((int) c * clients + client, now);
      arrived.incrementAndGet((int) c);
    }
    next[client] = Math.max(next[client], upTo + 1);
  }

  /** How many clients hold the version before change 0 (or a later one). */
  int ready() {
    return ready.get();
  }

  /** How many clients applied change {@code change}. */
  int arrived(int change) {
    return arrived.get(change);
  }

  /** When client {@code client} applied change {@code change} ({@link System#nanoTime()}), or 0 if it did not. */
  long at(int change, int client) {
    return at.get(change * clients + client);
  }

  /** Waits until every client applied every change up to {@code change}, or the deadline passes; true if they did. */
  boolean await(int change, long deadlineNanos) throws InterruptedException {
    while (arrived(change) < clients) {
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }
}
