package io.tenantry.server.trace;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on spans accepted but not yet stored: a POST takes permits for its spans, and the last stage of the
 * pipeline gives them back once the spans are stored. When the permits run out, a POST waits a little for room
 * ({@link #acquire}), then is refused (503) rather than queued without end. Taking and giving back are
 * lock-free; only a POST that waits takes the monitor. Thread-safe.
 */
final class SpanIntake {
  private final int capacity;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object room = new Object();

  SpanIntake(int capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code spans} permits if that many are free; false (taking none) otherwise. */
  boolean tryAcquire(int spans) {
    for (;;) {
      int now = held.get();
      if (now + spans > capacity) {
        return false;
      }
      if (held.compareAndSet(now, now + spans)) {
        return true;
      }
    }
  }

  /**
   * Takes {@code spans} permits, waiting up to {@code waitNanos} for them to be given back; false (taking none)
   * if they were not in time.
   */
  boolean acquire(int spans, long waitNanos) throws InterruptedException {
    if (tryAcquire(spans)) {
      return true;
    }
    long deadline = System.nanoTime() + waitNanos;
    waiting.incrementAndGet();
    try {
      synchronized (room) {
        while (!tryAcquire(spans)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          room.wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  void release(int spans) {
    held.addAndGet(-spans);
    if (waiting.get() > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }

  int capacity() {
    return capacity;
  }

  /** Spans accepted and not yet stored. */
  int held() {
    return held.get();
  }
}
