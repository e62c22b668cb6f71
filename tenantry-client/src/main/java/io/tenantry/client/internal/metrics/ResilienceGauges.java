package io.tenantry.client.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.tenantry.client.internal.resilience.ResilienceStats;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gauges and counters read from the resilience counters the client keeps anyway: per called service its breaker
 * state ({@code tenantry.client.breaker.state}, 1 for the state it is in), calls its open breaker refused,
 * retries its budget denied, ejections made and instances ejected now; at the door the adaptive concurrency limit
 * and the calls in flight. The counters are read at most once a second however many meters read them (a scrape
 * reads them all at once). Thread-safe.
 */
final class ResilienceGauges {
  private static final String[] STATES = {"CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED", "METRICS_ONLY"};

  private final MeterSet meters;
  private final Memo<ResilienceStats.Caller> caller;
  private volatile Memo<ResilienceStats.Inbound> door; // held here: meters keep only weak references

  ResilienceGauges(MeterSet meters, Supplier<ResilienceStats.Caller> caller) {
    this.meters = meters;
    this.caller = new Memo<>(caller);
  }

  /** Registers the meters of called service {@code service} (a tag value; {@code _other} has none). */
  void service(String service) {
    if (service.equals(TagValues.OTHER)) {
      return;
    }
    for (String state : STATES) {
      meters.add(Gauge.builder("tenantry.client.breaker.state", caller, c -> {
        ResilienceStats.Service s = c.get().services().get(service);
        return s != null && state.equals(s.breakerState()) ? 1 : 0;
      }).description("1 for the state the circuit breaker of calls to the service is in, else 0")
          .tags("service", service, "state", state.toLowerCase(Locale.ROOT)).strongReference(true)
          .register(meters.registry()));
    }
    counter("tenantry.client.breaker.refusals", "calls refused by the service's open circuit breaker", service,
        s -> s.notPermitted());
    counter("tenantry.client.retries.denied", "retries the service's retry budget refused", service,
        s -> s.retriesDenied());
    counter("tenantry.client.ejections", "instances of the service ejected as outliers", service,
        s -> s.ejections());
    meters.add(Gauge.builder("tenantry.client.ejected", caller, c -> {
      ResilienceStats.Service s = c.get().services().get(service);
      return s == null ? 0 : s.ejectedNow();
    }).description("instances of the service ejected now").tags("service", service).strongReference(true)
        .register(meters.registry()));
  }

  /** Registers the gauges of this client's door (service {@code service}). */
  void door(String service, Supplier<ResilienceStats.Inbound> inbound) {
    Memo<ResilienceStats.Inbound> door = new Memo<>(inbound);
    this.door = door;
    meters.add(Gauge.builder("tenantry.door.adaptive.limit", door, d -> d.get().adaptiveLimit())
        .description("the door's adaptive concurrency limit, 0 when none applies").tags("service", service)
        .strongReference(true).register(meters.registry()));
    meters.add(Gauge.builder("tenantry.door.inflight", door, d -> d.get().adaptiveInFlight())
        .description("requests in the handlers counted by the adaptive limiter").tags("service", service)
        .strongReference(true).register(meters.registry()));
  }

  private void counter(String name, String description, String service,
      ToDoubleFunction<ResilienceStats.Service> value) {
    meters.add(FunctionCounter.builder(name, caller, c -> {
      ResilienceStats.Service s = c.get().services().get(service);
      return s == null ? 0 : value.applyAsDouble(s);
    }).description(description).tags("service", service).register(meters.registry())); // caller: held here
  }

  /** The last value of a supplier, read again when older than a second. */
  static final class Memo<T> {
    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private final Supplier<T> source;
    private volatile T value;
    private volatile long readAt;

    Memo(Supplier<T> source) {
      this.source = source;
    }

    T get() {
      T v = value;
      long now = System.nanoTime();
      if (v == null || now - readAt > MAX_AGE_NANOS) {
        v = source.get();
        value = v;
        readAt = now;
      }
      return v;
    }
  }
}
