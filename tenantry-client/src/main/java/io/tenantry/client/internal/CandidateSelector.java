package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which instances may serve a call for a tenant. A siloed tenant is served only by instances
 * dedicated to it ({@code Instance.tenant == tenant}); a pooled tenant, or a call without a tenant,
 * only by shared ones ({@code Instance.tenant == null}), never by another tenant's dedicated instances.
 * Only {@code UP} instances qualify. A tenant the client does not know yet is treated as siloed if any
 * instance is dedicated to it (so a siloed tenant's calls cannot leak to shared instances before the
 * tenant list arrives), else as pooled. Stateless and thread-safe.
 */
public final class CandidateSelector {
  private CandidateSelector() {}

  /** True if the call for {@code tenantId} ({@code tenant} its record, if known) must stay on dedicated instances. */
  public static boolean siloed(List<Instance> instances, String tenantId, Tenant tenant) {
    if (tenantId == null) {
      return false;
    }
    if (tenant != null) {
      return tenant.siloed();
    }
    for (Instance i : instances) {
      if (tenantId.equals(i.tenant())) {
        return true;
      }
    }
    return false;
  }

  /** The eligible instances, in the order of {@code instances}; a new list, possibly empty. */
  public static List<Instance> select(List<Instance> instances, String tenantId, Tenant tenant) {
    String wanted = siloed(instances, tenantId, tenant) ? tenantId : null;
    List<Instance> out = new ArrayList<>(instances.size());
    for (Instance i : instances) {
      if (i.status() == InstanceStatus.UP && Objects.equals(i.tenant(), wanted)) {
        out.add(i);
      }
    }
    return out;
  }

  /** Why {@link #select} found nothing, for the exception a caller sees. */
  public static String explainEmpty(List<Instance> instances, String tenantId, Tenant tenant) {
    if (instances.isEmpty()) {
      return "none registered (or not known to this client yet)";
    }
    if (siloed(instances, tenantId, tenant)) {
      return "the tenant is siloed and none of the " + instances.size() + " instances dedicated to it is UP";
    }
    return "none of the " + instances.size() + " instances is a shared instance in state UP";
  }
}
