package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import java.util.Map;

/** Shared test values. */
public final class Fixtures {
  private Fixtures() {}

  public static Instance instance(String service, String id, InstanceStatus status, String tenant, long revision) {
    return new Instance("shop", service, id, "127.0.0.1", 9000 + Math.abs(id.hashCode() % 1000), "v1", "zone-a", 100,
        status, Map.of(), tenant, 30, revision);
  }

  public static Instance up(String id) {
    return instance("payment", id, InstanceStatus.UP, null, 1);
  }

  public static Instance weighted(String id, int weight) {
    return new Instance("shop", "payment", id, "127.0.0.1", 9000, "v1", "zone-a", weight, InstanceStatus.UP, Map.of(),
        null, 30, 1);
  }

  public static Tenant tenant(String id, Isolation isolation, TenantStatus status) {
    return new Tenant("shop", id, "standard", status, isolation, Map.of(), 1);
  }
}
