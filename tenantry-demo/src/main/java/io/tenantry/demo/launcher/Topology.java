package io.tenantry.demo.launcher;

import io.tenantry.api.Isolation;
import io.tenantry.api.TenantSpec;
import io.tenantry.api.TenantStatus;
import io.tenantry.demo.service.ServiceConfig.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's system: namespace {@code shop}, its three tenants, and the instances to run — two shared
 * instances of each service, one of each dedicated to every siloed tenant, and {@code payment-2}
 * failing a share of its calls.
 */
final class Topology {
  static final String NAMESPACE = "shop";
  static final String FAILING_INSTANCE = "payment-2";
  static final List<TenantSpec> TENANTS = List.of(
      new TenantSpec("acme", "premium", TenantStatus.ACTIVE, Isolation.SILOED, Map.of()),
      new TenantSpec("globex", "standard", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()),
      new TenantSpec("initech", "free", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()));

  /** One instance to start: which service, its id, the tenant it is dedicated to (or null), its fail rate. */
  record Planned(Kind kind, String id, String tenant, double failRate) {}

  private Topology() {}

  static List<Planned> instances(double failRate) {
    List<Planned> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      String s = kind.serviceName();
      for (TenantSpec t : TENANTS) {
        if (t.isolation() == Isolation.SILOED) {
          out.add(new Planned(kind, s + "-" + t.id(), t.id(), 0));
        }
      }
      for (int i = 1; i <= 2; i++) {
        String id = s + "-" + i;
        out.add(new Planned(kind, id, null, id.equals(FAILING_INSTANCE) ? failRate : 0));
      }
    }
    return out;
  }

  static TenantSpec tenant(String id) {
    return TENANTS.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("tenant: " + id));
  }
}
