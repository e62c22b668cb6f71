package io.tenantry.server.tx;

import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.tenant.TenantService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a tenant may begin transactions (it exists and is active), remembered for a second per tenant so that
 * a burst of begins reads the tenant once: a suspension or deletion takes effect within {@link #TTL}. Thread-safe.
 */
final class TenantGate {
  static final Duration TTL = Duration.ofSeconds(1);
  private static final int MAX = 100_000;

  private record Seen(Tenant tenant, long untilNanos) {}

  private final TenantService tenants;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  TenantGate(TenantService tenants) {
    this.tenants = tenants;
  }

  /** Throws 404 {@code tenant-not-found} or 403 {@code tenant-suspended} unless the tenant may begin. */
  void requireActive(String namespace, String tenant) {
    String key = namespace + '/' + tenant;
    long now = System.nanoTime();
    Seen s = seen.get(key);
    if (s == null || now - s.untilNanos() > 0) {
      Tenant t = tenants.get(namespace, tenant).orElseThrow(() -> new ApiException(404, "tenant-not-found",
          "tenant '" + tenant + "' does not exist", "tenant"));
      if (seen.size() >= MAX) {
        seen.clear();
      }
      s = new Seen(t, now + TTL.toNanos());
      seen.put(key, s);
    }
    if (s.tenant().status() != TenantStatus.ACTIVE) {
      throw new ApiException(403, "tenant-suspended", "tenant '" + tenant + "' is " + s.tenant().status(), "tenant");
    }
  }
}
