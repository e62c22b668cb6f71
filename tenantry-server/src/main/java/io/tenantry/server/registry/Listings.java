package io.tenantry.server.registry;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.ServiceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The registry's read side: lists built from the lock-free maps, sorted, stamped with the revision
 * taken before they were read (so a watch from it misses nothing). Stateless.
 */
final class Listings {
  private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

  private Listings() {}

  /** The instances of {@code service} in {@code ns} (null: none), sorted by id. */
  static ListResult<Instance> instances(long revision, NamespaceState ns, String service) {
    ServiceState svc = ns == null ? null : ns.services.get(service);
    if (svc == null) {
      return new ListResult<>(revision, List.of());
    }
    List<Instance> items = new ArrayList<>(svc.leases.size());
    svc.leases.values().forEach(l -> items.add(l.instance));
    items.sort(BY_ID);
    return new ListResult<>(revision, items);
  }

  /** The services of {@code ns} (null: none) that have instances, sorted by name, with instance and up counts. */
  static ListResult<ServiceSummary> services(long revision, NamespaceState ns) {
    if (ns == null) {
      return new ListResult<>(revision, List.of());
    }
    List<ServiceSummary> items = new ArrayList<>();
    for (ServiceState svc : ns.services.values()) {
      int total = 0;
      int up = 0;
      for (Lease l : svc.leases.values()) {
        total++;
        if (l.instance.status() == InstanceStatus.UP) {
          up++;
        }
      }
      if (total > 0) {
        items.add(new ServiceSummary(svc.name, total, up));
      }
    }
    items.sort(Comparator.comparing(ServiceSummary::name));
    return new ListResult<>(revision, items);
  }
}
