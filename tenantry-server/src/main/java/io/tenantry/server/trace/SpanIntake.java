package io.tenantry.server.trace;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on spans accepted but not yet stored: a POST takes permits for its spans without waiting, and the
 * last stage of the pipeline gives them back once the spans are stored. When the permits run out, a POST is
 * refused (503) rather than queued without end. Lock-free; thread-safe.
 */
final class SpanIntake {
  private final int capacity;
  private final AtomicInteger held = new AtomicInteger();

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

  void release(int spans) {
    held.addAndGet(-spans);
  }

  int capacity() {
    return capacity;
  }

  /** Spans accepted and not yet stored. */
  int held() {
    return held.get();
  }
}
