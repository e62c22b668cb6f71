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
 * instances of each service (version v1), one of each dedicated to every siloed tenant, a shared
 * {@code order-v2} canary (version v2, which the route policy gives 10% of globex's orders), and
 * {@code payment-2} failing a share of its calls.
 */
final class Topology {
  static final String NAMESPACE = "shop";
  static final String FAILING_INSTANCE = "payment-2";
  static final String STABLE_VERSION = "v1";
  static final String CANARY_VERSION = "v2";
  static final String CANARY_INSTANCE = "order-v2";
  /** The tenant whose orders the canary takes a share of, and the tenant that floods. */
  static final String CANARY_TENANT = "globex";
  static final String FLOODING_TENANT = "initech";
  static final List<TenantSpec> TENANTS = List.of(
      new TenantSpec("acme", "premium", TenantStatus.ACTIVE, Isolation.SILOED, Map.of()),
      new TenantSpec("globex", "standard", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()),
      new TenantSpec("initech", "free", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()));

  /** One instance to start: which service, its id, the tenant it is dedicated to (or null), its version, its fail rate. */
  record Planned(Kind kind, String id, String tenant, String version, double failRate) {}

  private Topology() {}

  static List<Planned> instances(double failRate) {
    List<Planned> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      String s = kind.serviceName();
      for (TenantSpec t : TENANTS) {
        if (t.isolation() == Isolation.SILOED) {
          out.add(new Planned(kind, s + "-" + t.id(), t.id(), STABLE_VERSION, 0));
        }
      }
      for (int i = 1; i <= 2; i++) {
        String id = s + "-" + i;
        out.add(new Planned(kind, id, null, STABLE_VERSION, id.equals(FAILING_INSTANCE) ? failRate : 0));
      }
      if (kind == Kind.ORDER) {
        out.add(new Planned(kind, CANARY_INSTANCE, null, CANARY_VERSION, 0));
      }
    }
    return out;
  }

  static TenantSpec tenant(String id) {
    return TENANTS.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("tenant: " + id));
  }
}
