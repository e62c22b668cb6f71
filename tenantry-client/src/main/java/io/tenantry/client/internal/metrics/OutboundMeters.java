package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tenantry.client.CallOutcome;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * RED meters of outbound calls, per called service, method, tenant and outcome: {@code tenantry.client.attempts}
 * (a timer of every attempt), {@code tenantry.client.calls} (calls ended, by the outcome of their last attempt)
 * and {@code tenantry.client.retries} (attempts after the first). Meters are made once per key and cached in
 * nested maps, so an attempt of a known key is a few lookups and allocates nothing. Thread-safe.
 */
final class OutboundMeters {
  private static final CallOutcome[] OUTCOMES = CallOutcome.values();
  private static final String[] OUTCOME_TAGS = new String[OUTCOMES.length];

  static {
    for (CallOutcome o : OUTCOMES) {
      OUTCOME_TAGS[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterSet meters;
  private final TagValues services;
  private final TagValues methods;
  private final TagValues tenants;
  private final Consumer<String> firstCall; // told once per service tag: its gauges
  // service -> method -> tenant -> meters
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Key>>> byService =
      new ConcurrentHashMap<>();

  OutboundMeters(MeterSet meters, TagValues services, TagValues methods, TagValues tenants,
      Consumer<String> firstCall) {
    this.meters = meters;
    this.services = services;
    this.methods = methods;
    this.tenants = tenants;
    this.firstCall = firstCall;
  }

  void record(String service, String tenant, String method, int attempt, CallOutcome outcome, long nanos,
      boolean willRetry) {
    Key k = key(services.of(service), methods.of(method), tenants.of(tenant));
    int o = outcome.ordinal();
    k.attempt(o).record(nanos, TimeUnit.NANOSECONDS);
    if (!willRetry) {
      k.call(o).increment();
    }
    if (attempt > 1) {
      k.retries().increment();
    }
  }

  private Key key(String service, String method, String tenant) {
    ConcurrentHashMap<String, ConcurrentHashMap<String, Key>> byMethod = byService.get(service);
    if (byMethod == null) {
      byMethod = byService.computeIfAbsent(service, s -> {
        firstCall.accept(s);
        return new ConcurrentHashMap<>();
      });
    }
    ConcurrentHashMap<String, Key> byTenant = byMethod.get(method);
    if (byTenant == null) {
      byTenant = byMethod.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
    }
    Key k = byTenant.get(tenant);
    return k != null ? k : byTenant.computeIfAbsent(tenant, t -> new Key(Tags.of("service", service, "method",
        method, "tenant", t)));
  }

  /** The meters of one (service, method, tenant), by outcome, made on first use. */
  private final class Key {
    private final Tags tags;
    private final AtomicReferenceArray<Timer> attempts = new AtomicReferenceArray<>(OUTCOMES.length);
    private final AtomicReferenceArray<Counter> calls = new AtomicReferenceArray<>(OUTCOMES.length);
    private volatile Counter retries;

    Key(Tags tags) {
      this.tags = tags;
    }

    Timer attempt(int outcome) {
      Timer t = attempts.get(outcome);
      if (t == null) {
        synchronized (this) {
          t = attempts.get(outcome);
          if (t == null) {
            t = meters.add(Timers.timer(meters.registry(), "tenantry.client.attempts",
                "attempts of outbound governed calls", tags.and("outcome", OUTCOME_TAGS[outcome])));
            attempts.set(outcome, t);
          }
        }
      }
      return t;
    }

    Counter call(int outcome) {
      Counter c = calls.get(outcome);
      if (c == null) {
        synchronized (this) {
          c = calls.get(outcome);
          if (c == null) {
            c = meters.add(Counter.builder("tenantry.client.calls")
                .description("outbound governed calls ended, by the outcome of their last attempt")
                .tags(tags.and("outcome", OUTCOME_TAGS[outcome])).register(meters.registry()));
            calls.set(outcome, c);
          }
        }
      }
      return c;
    }

    Counter retries() {
      Counter c = retries;
      if (c == null) {
        synchronized (this) {
          c = retries;
          if (c == null) {
            c = meters.add(Counter.builder("tenantry.client.retries")
                .description("attempts of outbound governed calls after the first").tags(tags)
                .register(meters.registry()));
            retries = c;
          }
        }
      }
      return c;
    }
  }
}
