package io.tenantry.client;

import io.tenantry.api.Instance;
import io.tenantry.client.internal.PowerOfTwoChoicesBalancer;
import io.tenantry.client.internal.RoundRobinBalancer;
import io.tenantry.client.internal.WeightedRandomBalancer;
import java.time.Duration;
import java.util.List;

/**
 * Chooses one instance among the candidates of a call. The governed HTTP client reports each
 * attempt's start and finish so that a balancer can prefer lightly loaded, fast instances.
 *
 * <p>Thread-safety: implementations must be thread-safe; one balancer serves every call of a client.
 * {@link #choose} is on the hot path of every call and must not block.
 */
public interface LoadBalancer {
  /**
   * Picks one of {@code candidates} (never empty, all eligible for the call).
   */
  Instance choose(List<Instance> candidates);

  /** Called when an attempt to {@code instance} starts. */
  default void onStart(Instance instance) {}

  /** Called when an attempt to {@code instance} finishes, successfully or not. */
  default void onFinish(Instance instance, Duration latency, boolean success) {}

  /** Each candidate in turn. */
  static LoadBalancer roundRobin() {
    return new RoundRobinBalancer();
  }

  /** A random candidate, with probability proportional to {@link Instance#weight()}. */
  static LoadBalancer weightedRandom() {
    return new WeightedRandomBalancer();
  }

  /**
   * The default: two random candidates, the one with fewer requests in flight wins, ties broken by
   * a moving average of latency (EWMA). Keeps load off a slow or stuck instance without global state.
   */
  static LoadBalancer powerOfTwoChoices() {
    return new PowerOfTwoChoicesBalancer();
  }
}
