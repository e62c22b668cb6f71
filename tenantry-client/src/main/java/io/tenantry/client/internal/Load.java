package io.tenantry.client.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live load of one instance as this client sees it: attempts in flight and a moving average of
 * latency (EWMA). Kept per instance id across changes of the served view, so a balancer's knowledge
 * survives another instance's heartbeat status change. Thread-safe: the in-flight count is atomic;
 * the average is written without a lock (a racing update may be lost, which an average shrugs off).
 */
public final class Load {
  static final double ALPHA = 0.3;

  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile double ewmaMicros = -1;

  public int inFlight() {
    return inFlight.get();
  }

  /** The moving average of latency in microseconds, or -1 before the first finished attempt. */
  public double ewmaMicros() {
    return ewmaMicros;
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(long micros) {
    inFlight.decrementAndGet();
    record(micros);
  }

  void record(long micros) {
    double e = ewmaMicros;
    ewmaMicros = e < 0 ? micros : e + ALPHA * (micros - e);
  }
}
