package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Power of two choices: of two distinct random candidates, the one with the lower cost wins, where
 * cost = (requests in flight + 1) × (EWMA latency + 1 ms). A failed attempt counts as at least
 * {@link #FAILURE_PENALTY} of latency so that a refusing instance loses quickly; once idle for a while it
 * gets a probe, and a success clears the penalty ({@link Load}).
 *
 * <p>In the SDK's governed calls the loads are the ones the call keeps per instance ({@link LoadAware});
 * used on its own through {@link LoadBalancer}, it keeps loads itself, per service and id, bounded: past
 * {@link #MAX_TRACKED} entries idle ones are forgotten. Thread-safe.
 */
public final class PowerOfTwoChoicesBalancer implements LoadBalancer, LoadAware {
  static final Duration FAILURE_PENALTY = Duration.ofNanos(Load.FAILURE_PENALTY_MICROS * 1000);
  static final int MAX_TRACKED = 10_000;

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Load>> loads = new ConcurrentHashMap<>();
  private final AtomicInteger tracked = new AtomicInteger();
  private final Function<Instance, Load> ownLoads = this::load;

  @Override
  public Instance choose(List<Instance> candidates) {
    return choose(candidates, ownLoads);
  }

  @Override
  public Instance choose(List<Instance> candidates, Function<Instance, Load> loads) {
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
    double costA = cost(loads.apply(first));
    double costB = cost(loads.apply(second));
    if (costA == costB) {
      return random.nextBoolean() ? first : second;
    }
    return costA < costB ? first : second;
  }

  @Override
  public void onStart(Instance instance) {
    load(instance).started();
  }

  @Override
  public void onFinish(Instance instance, Duration latency, boolean success) {
    load(instance).finished(latency.toNanos() / 1000, success, System.nanoTime());
  }

  /** Requests in flight to {@code instance} as this balancer counts them on its own. */
  int inFlight(Instance instance) {
    Load load = find(instance);
    return load == null ? 0 : load.inFlight();
  }

  /** Instances with state of its own, for tests of the bound. */
  int tracked() {
    return tracked.get();
  }

  private static double cost(Load load) {
    return (load.inFlight() + 1) * (load.costMicros() + 1000);
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
      service.values().removeIf(l -> l.inFlight() == 0);
    }
    int n = 0;
    for (ConcurrentHashMap<String, Load> service : loads.values()) {
      n += service.size();
    }
    tracked.set(n);
  }
}
