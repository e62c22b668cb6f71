package io.tenantry.demo.service;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named counters per tenant, as a service's {@code /stats} shows them. Thread-safe; a snapshot is a
 * sorted copy.
 */
final class Counters {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> byTenant = new ConcurrentHashMap<>();

  void increment(String tenant, String counter) {
    byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(counter, c -> new LongAdder())
        .increment();
  }

  long get(String tenant, String counter) {
    Map<String, LongAdder> c = byTenant.get(tenant);
    LongAdder a = c == null ? null : c.get(counter);
    return a == null ? 0 : a.sum();
  }

  /** Every tenant's counters, sorted by tenant and counter name. */
  Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byTenant.forEach((tenant, counters) -> out.put(tenant, snapshot(counters)));
    return out;
  }

  /** One tenant's counters (empty if it has none). */
  Map<String, Long> snapshot(String tenant) {
    Map<String, LongAdder> c = byTenant.get(tenant);
    return c == null ? Map.of() : snapshot(c);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((name, adder) -> out.put(name, adder.sum()));
    return out;
  }
}
