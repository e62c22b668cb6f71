package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each candidate in turn; candidates come sorted from the cache, so the order is stable. Thread-safe. */
public final class RoundRobinBalancer implements LoadBalancer {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public Instance choose(List<Instance> candidates) {
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }
}
