package io.tenantry.client.internal;

import java.lang.management.ManagementFactory;

/** Measures what a hot path allocates per call on this thread, once warm (for the allocation tests). */
public final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AllocationMeter() {}

  /** Bytes per call of {@code call} after {@code warmup} calls, over {@code calls} calls; prints ns and bytes per call. */
  public static double bytesPerCall(String name, int warmup, int calls, Runnable call) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    long id = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(id);
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    long nanos = System.nanoTime() - start;
    double bytes = (double) (THREADS.getThreadAllocatedBytes(id) - before) / calls;
    System.out.printf("%-45s %6.1f ns/call %6.2f bytes/call%n", name, (double) nanos / calls, bytes);
    return bytes;
  }
}
