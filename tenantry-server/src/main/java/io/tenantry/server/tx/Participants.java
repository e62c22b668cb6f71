package io.tenantry.server.tx;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.server.registry.Registry;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a branch's phase two is sent: the UP instances of its service in the registry, the instance that
 * registered the branch first (if it is still registered and up), then the others in id order.
 */
final class Participants {
  private final Registry registry;

  Participants(Registry registry) {
    this.registry = registry;
  }

  List<Instance> candidates(String namespace, String service, String preferred) {
    List<Instance> up = new ArrayList<>();
    for (Instance i : registry.list(namespace, service).items()) {
      if (i.status() == InstanceStatus.UP) {
        if (i.id().equals(preferred)) {
          up.add(0, i);
        } else {
          up.add(i);
        }
      }
    }
    return up;
  }
}
