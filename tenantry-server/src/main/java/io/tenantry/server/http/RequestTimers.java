package io.tenantry.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tenantry.http.requests} timers, one per method, route and status, each built once: building and
 * registering a timer per request (a meter id, its sorted tags, the registry's lookup) cost a few per cent of
 * every request thread's time. Routes are the matched templates, so the set stays small. Thread-safe.
 */
final class RequestTimers {
  private record Key(String method, String route, int status) {}

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  RequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  Timer of(String method, String route, int status) {
    return timers.computeIfAbsent(new Key(method, route, status), k -> Timer.builder("tenantry.http.requests")
        .description("HTTP requests served by the control plane")
        .tag("method", k.method())
        .tag("route", k.route())
        .tag("status", Integer.toString(k.status()))
        .register(registry));
  }
}
