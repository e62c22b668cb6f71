package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The meters one client registered, removed from the registry when the client closes (the registry is the
 * application's and outlives it). Thread-safe.
 */
final class MeterSet {
  private final MeterRegistry registry;
  private final ConcurrentLinkedQueue<Meter> meters = new ConcurrentLinkedQueue<>();

  MeterSet(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void removeAll() {
    for (Meter m; (m = meters.poll()) != null; ) {
      registry.remove(m);
    }
  }
}
