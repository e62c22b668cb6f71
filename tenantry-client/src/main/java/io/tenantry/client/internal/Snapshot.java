package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.Tenant;
import java.util.List;
import java.util.Map;

/**
 * What a client knew of its namespace, as written to disk: the served instances of each service it
 * looked up and the tenants. {@code format} guards against reading a file of another layout.
 */
public record Snapshot(int format, String namespace, long savedAtMillis, Map<String, List<Instance>> services,
    List<Tenant> tenants) {
  public static final int FORMAT = 1;

  public Snapshot {
    services = services == null ? Map.of() : Map.copyOf(services);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }
}
