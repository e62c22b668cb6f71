package io.tenantry.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live load of one instance as this client sees it: attempts in flight and a moving average of
 * latency (EWMA). Kept per instance id across changes of the served view, so a balancer's knowledge
 * survives another instance's heartbeat status change. Thread-safe: the in-flight count is atomic;
 * the average and the last finish are written without a lock or a fence (opaque: a racing update may be lost,
 * and a reader may see one a little late, which an average and a probe timer shrug off; a volatile write would
 * cost a fence per attempt).
 */
public final class Load {
  static final double ALPHA = 0.3;
  /** What a failed attempt counts as, at least: a refusing instance must lose to any working one. */
  static final long FAILURE_PENALTY_MICROS = 1_000_000;
  /** A penalised instance idle this long gets a probe: it may have recovered, and without calls it cannot show it. */
  static final long PROBE_AFTER_NANOS = 2_000_000_000L;

  private static final VarHandle EWMA;
  private static final VarHandle LAST;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      EWMA = lookup.findVarHandle(Load.class, "ewmaMicros", double.class);
      LAST = lookup.findVarHandle(Load.class, "lastNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicInteger inFlight = new AtomicInteger();
  private double ewmaMicros = -1; // opaque access only (EWMA)
  private long lastNanos; // opaque access only (LAST)

  public int inFlight() {
    return inFlight.get();
  }

  /** The moving average of latency in microseconds, or -1 before the first finished attempt. */
  public double ewmaMicros() {
    return (double) EWMA.getOpaque(this);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  /** True if the average carries a failure's penalty (the instance failed recently and has not recovered). */
  boolean penalised() {
    return ewmaMicros() >= FAILURE_PENALTY_MICROS / 2.0;
  }

  /**
   * The average a balancer compares: the moving average, except for a penalised instance idle for
   * {@link #PROBE_AFTER_NANOS}, which counts as fresh (0) so that one call probes it. Reads the clock only then.
   */
  double costMicros() {
    double e = ewmaMicros();
    if (e >= FAILURE_PENALTY_MICROS / 2.0 && System.nanoTime() - (long) LAST.getOpaque(this) > PROBE_AFTER_NANOS) {
      return 0;
    }
    return Math.max(0, e);
  }

  /**
   * An attempt finished at {@code nowNanos} after {@code micros}. A failure counts as at least the penalty; a
   * success after a failure replaces the average (the penalty marks a failure, it is not a latency to average).
   */
  void finished(long micros, boolean success, long nowNanos) {
    inFlight.decrementAndGet();
    LAST.setOpaque(this, nowNanos);
    double e = ewmaMicros();
    long m = success ? micros : Math.max(micros, FAILURE_PENALTY_MICROS);
    EWMA.setOpaque(this, e < 0 || success && e >= FAILURE_PENALTY_MICROS / 2.0 ? (double) m : e + ALPHA * (m - e));
  }
}
