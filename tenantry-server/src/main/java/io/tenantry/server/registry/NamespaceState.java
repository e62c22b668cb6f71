package io.tenantry.server.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's part of one namespace: its services, the lock that orders its changes, its instance
 * count and its meters. The self-preservation fields are touched by the reaper thread only.
 */
final class NamespaceState {
  final String name;
  final ReentrantLock lock = new ReentrantLock();
  final ConcurrentHashMap<String, ServiceState> services = new ConcurrentHashMap<>();
  final AtomicInteger instances = new AtomicInteger();
  final AtomicInteger preserving = new AtomicInteger();
  final Counter registrations;
  final Counter heartbeats;
  final Counter expirations;
  private final List<Meter> meters;
  /** Wall-clock millis when the current self-preservation episode began, or -1. Reaper thread only. */
  long holdingSince = -1;

  NamespaceState(String name, MeterRegistry registry) {
    this.name = name;
    Tags tags = Tags.of("namespace", name);
    Gauge count = Gauge.builder("tenantry.registry.instances", instances, AtomicInteger::get).tags(tags)
        .description("registered instances").strongReference(true).register(registry);
    Gauge held = Gauge.builder("tenantry.registry.self.preservation", preserving, AtomicInteger::get).tags(tags)
        .description("1 while the reaper holds back a mass expiry").strongReference(true).register(registry);
    registrations = Counter.builder("tenantry.registry.registrations").tags(tags)
        .description("registrations that added or changed an instance").register(registry);
    heartbeats = Counter.builder("tenantry.registry.heartbeats").tags(tags)
        .description("lease renewals").register(registry);
    expirations = Counter.builder("tenantry.registry.expirations").tags(tags)
        .description("instances removed because their lease lapsed").register(registry);
    meters = List.of(count, held, registrations, heartbeats, expirations);
  }

  ServiceState service(String service) {
    return services.computeIfAbsent(service, ServiceState::new);
  }

  void removeMeters(MeterRegistry registry) {
    meters.forEach(registry::remove);
  }
}
