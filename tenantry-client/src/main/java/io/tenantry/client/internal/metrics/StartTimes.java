package io.tenantry.client.internal.metrics;

/**
 * When each request a thread is inside began: what a door observer hands itself from {@code entered} to
 * {@code exited} without allocating (a boxed time would be one object per request). A stack, since a request may
 * be admitted within another on the same thread (a forward) and scopes nest. One per thread.
 */
final class StartTimes {
  private static final int MAX_DEPTH = 64;
  private static final ThreadLocal<StartTimes> CURRENT = ThreadLocal.withInitial(StartTimes::new);

  private long[] starts = new long[4];
  private int depth;

  /** Pushes now on this thread's stack and returns the stack, to be handed to {@link #elapsed}. */
  static StartTimes push() {
    StartTimes s = CURRENT.get();
    if (s.depth == s.starts.length) {
      if (s.depth == MAX_DEPTH) { // requests entered and never exited: an adapter bug; start over
        s.depth = 0;
      } else {
        s.starts = java.util.Arrays.copyOf(s.starts, s.starts.length * 2);
      }
    }
    s.starts[s.depth++] = System.nanoTime();
    return s;
  }

  /** Pops the latest start of {@code entered} (what {@link #push} returned); the nanoseconds since, -1 if none. */
  static long elapsed(Object entered) {
    if (!(entered instanceof StartTimes s) || s.depth == 0) {
      return -1;
    }
    return System.nanoTime() - s.starts[--s.depth];
  }
}
