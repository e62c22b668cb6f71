package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A random candidate with probability proportional to its weight; uniform if every weight is 0.
 * Thread-safe.
 */
public final class WeightedRandomBalancer implements LoadBalancer {
  @Override
  public Instance choose(List<Instance> candidates) {
    long total = 0;
    for (Instance i : candidates) {
      total += Math.max(0, i.weight());
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (total == 0) {
      return candidates.get(random.nextInt(candidates.size()));
    }
    long r = random.nextLong(total);
    for (Instance i : candidates) {
      r -= Math.max(0, i.weight());
      if (r < 0) {
        return i;
      }
    }
    return candidates.get(candidates.size() - 1);
  }
}
