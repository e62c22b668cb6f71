package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import java.util.List;
import java.util.function.Function;

/**
 * A balancer that reads the loads the governed call keeps per instance ({@link Routes#load}) instead
 * of keeping its own: the SDK's calls use this, so choosing costs no map lookup by id.
 */
public interface LoadAware {
  Instance choose(List<Instance> candidates, Function<Instance, Load> loads);
}
