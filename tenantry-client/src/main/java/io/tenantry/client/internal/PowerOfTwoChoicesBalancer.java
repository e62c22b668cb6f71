package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Power of two choices: of two distinct random candidates, the one with the lower cost wins, where
 * cost = (requests in flight + 1) × (EWMA latency + 1 ms). A failed attempt counts as at least
 * {@link #FAILURE_PENALTY} of latency so that a refusing instance loses quickly. Thread-safe; state is
 * per instance (service, then id: two lookups of strings whose hashes are cached, no key built per
 * call) and bounded: past {@link #MAX_TRACKED} entries idle ones are forgotten.
 */
public final class PowerOfTwoChoicesBalancer implements LoadBalancer {
  static final Duration FAILURE_PENALTY = Duration.ofSeconds(1);
  static final double ALPHA = 0.3;
  static final int MAX_TRACKED = 10_000;

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Load>> loads = new ConcurrentHashMap<>();
  private final AtomicInteger tracked = new AtomicInteger();

  @Override
  public Instance choose(List<Instance> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    Instance first = candidates.get(a);
    Instance second = candidates.get(b);
    double costA = cost(first);
    double costB = cost(second);
    if (costA == costB) {
      return random.nextBoolean() ? first : second;
    }
    return costA < costB ? first : second;
  }

  @Override
  public void onStart(Instance instance) {
    load(instance).inFlight.incrementAndGet();
  }

  @Override
  public void onFinish(Instance instance, Duration latency, boolean success) {
    Load load = load(instance);
    load.inFlight.decrementAndGet();
    long micros = latency.toNanos() / 1000;
    if (!success) {
      micros = Math.max(micros, FAILURE_PENALTY.toNanos() / 1000);
    }
    load.record(micros);
  }

  /** Requests in flight to {@code instance} as this balancer counts them. */
  int inFlight(Instance instance) {
    Load load = find(instance);
    return load == null ? 0 : load.inFlight.get();
  }

  /** Instances with state, for tests of the bound. */
  int tracked() {
    return tracked.get();
  }

  private double cost(Instance instance) {
    Load load = find(instance);
    if (load == null) {
      return 1000;
    }
    return (load.inFlight.get() + 1) * (Math.max(0, load.ewmaMicros) + 1000);
  }

  private Load find(Instance instance) {
    ConcurrentHashMap<String, Load> service = loads.get(instance.service());
    return service == null ? null : service.get(instance.id());
  }

  private Load load(Instance instance) {
    Load load = find(instance);
    if (load != null) {
      return load;
    }
    if (tracked.get() >= MAX_TRACKED) {
      forgetIdle();
    }
    Load fresh = new Load();
    load = loads.computeIfAbsent(instance.service(), k -> new ConcurrentHashMap<>()).putIfAbsent(instance.id(), fresh);
    if (load == null) {
      tracked.incrementAndGet();
      return fresh;
    }
    return load;
  }

  private synchronized void forgetIdle() {
    for (ConcurrentHashMap<String, Load> service : loads.values()) {
      service.values().removeIf(l -> l.inFlight.get() == 0);
    }
    int n = 0;
    for (ConcurrentHashMap<String, Load> service : loads.values()) {
      n += service.size();
    }
    tracked.set(n);
  }

  private static final class Load {
    final AtomicInteger inFlight = new AtomicInteger();
    volatile double ewmaMicros = -1;

    synchronized void record(long micros) {
      ewmaMicros = ewmaMicros < 0 ? micros : ewmaMicros + ALPHA * (micros - ewmaMicros);
    }
  }
}
