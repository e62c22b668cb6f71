package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * RED meters of a service's door: {@code tenantry.door.requests}, a timer of the requests its handlers served per
 * method, tenant and status class ({@code 2xx}…{@code 5xx}, {@code none} when the handler threw), and
 * {@code tenantry.door.refusals}, a counter of the requests refused before the handler per tenant and refusal
 * type ({@code rate-limited}, {@code quota-exceeded}, {@code bulkhead-full}, {@code overloaded},
 * {@code invalid-tenant}, {@code tenant-suspended}). Meters are cached per key. Thread-safe.
 */
final class DoorMeters {
  private static final String[] STATUS = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterSet meters;
  private final String service;
  private final TagValues methods;
  private final TagValues tenants;
  private final TagValues types;
  // method -> tenant -> timers by status class
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Timer>>> served =
      new ConcurrentHashMap<>();
  // type -> tenant -> counter
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> refused = new ConcurrentHashMap<>();

  DoorMeters(MeterSet meters, String service, TagValues methods, TagValues tenants, TagValues types) {
    this.meters = meters;
    this.service = service;
    this.methods = methods;
    this.tenants = tenants;
    this.types = types;
  }

  void served(String tenant, String method, int status, long nanos) {
    String m = methods.of(method);
    String t = tenants.of(tenant);
    int s = status >= 100 && status < 600 ? status / 100 : 0;
    ConcurrentHashMap<String, AtomicReferenceArray<Timer>> byTenant = served.get(m);
    if (byTenant == null) {
      byTenant = served.computeIfAbsent(m, x -> new ConcurrentHashMap<>());
    }
    AtomicReferenceArray<Timer> timers = byTenant.get(t);
    if (timers == null) {
      timers = byTenant.computeIfAbsent(t, x -> new AtomicReferenceArray<>(STATUS.length));
    }
    Timer timer = timers.get(s);
    if (timer == null) {
      timer = register(timers, s, m, t);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  void refused(String tenant, String type) {
    String ty = types.of(type);
    String t = tenants.of(tenant);
    ConcurrentHashMap<String, Counter> byTenant = refused.get(ty);
    if (byTenant == null) {
      byTenant = refused.computeIfAbsent(ty, x -> new ConcurrentHashMap<>());
    }
    Counter c = byTenant.get(t);
    if (c == null) {
      c = byTenant.computeIfAbsent(t, x -> meters.add(Counter.builder("tenantry.door.refusals")
          .description("requests refused at the service's door before its handler")
          .tags("service", service, "tenant", t, "type", ty).register(meters.registry())));
    }
    c.increment();
  }

  private synchronized Timer register(AtomicReferenceArray<Timer> timers, int s, String method, String tenant) {
    Timer t = timers.get(s);
    if (t == null) {
      t = meters.add(Timers.timer(meters.registry(), "tenantry.door.requests",
          "requests served by the service's handlers", Tags.of("service", service, "method", method, "tenant",
              tenant, "status", STATUS[s])));
      timers.set(s, t);
    }
    return t;
  }
}
