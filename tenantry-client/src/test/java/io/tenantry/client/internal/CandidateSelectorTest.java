package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.instance;
import static io.tenantry.client.internal.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {
  private final Instance shared1 = instance("payment", "shared-1", InstanceStatus.UP, null, 1);
  private final Instance shared2 = instance("payment", "shared-2", InstanceStatus.DRAINING, null, 1);
  private final Instance acme = instance("payment", "acme-1", InstanceStatus.UP, "acme", 1);
  private final Instance acmeDown = instance("payment", "acme-2", InstanceStatus.DOWN, "acme", 1);
  private final Instance globex = instance("payment", "globex-1", InstanceStatus.UP, "globex", 1);
  private final List<Instance> all = List.of(acme, acmeDown, globex, shared1, shared2);
  private final Tenant acmeSiloed = tenant("acme", Isolation.SILOED, TenantStatus.ACTIVE);
  private final Tenant initechPooled = tenant("initech", Isolation.POOLED, TenantStatus.ACTIVE);

  @Test
  void noTenant_getsSharedUpInstancesOnly() {
    assertThat(CandidateSelector.select(all, null, null)).containsExactly(shared1);
  }

  @Test
  void siloedTenant_getsOnlyItsDedicatedUpInstances() {
    assertThat(CandidateSelector.select(all, "acme", acmeSiloed)).containsExactly(acme);
  }

  @Test
  void siloedTenant_withoutDedicatedUpInstance_getsNothing_neverShared() {
    assertThat(CandidateSelector.select(List.of(acmeDown, shared1), "acme", acmeSiloed)).isEmpty();
    assertThat(CandidateSelector.explainEmpty(List.of(acmeDown, shared1), "acme", acmeSiloed)).contains("siloed");
  }

  @Test
  void pooledTenant_getsSharedOnly_neverAnotherTenantsDedicated() {
    assertThat(CandidateSelector.select(all, "initech", initechPooled)).containsExactly(shared1);
    assertThat(CandidateSelector.select(List.of(acme, globex), "initech", initechPooled)).isEmpty();
  }

  @Test
  void pooledTenant_isNotSentToItsOwnDedicatedInstances_either() {
    Tenant acmePooled = tenant("acme", Isolation.POOLED, TenantStatus.ACTIVE);
    assertThat(CandidateSelector.select(all, "acme", acmePooled)).containsExactly(shared1);
  }

  @Test
  void unknownTenant_withDedicatedInstances_isTreatedAsSiloed() {
    assertThat(CandidateSelector.select(all, "acme", null)).containsExactly(acme);
  }

  @Test
  void unknownTenant_withoutDedicatedInstances_isTreatedAsPooled() {
    assertThat(CandidateSelector.select(all, "umbrella", null)).containsExactly(shared1);
  }

  @Test
  void emptyList_isExplained() {
    assertThat(CandidateSelector.select(List.of(), "acme", acmeSiloed)).isEmpty();
    assertThat(CandidateSelector.explainEmpty(List.of(), "acme", acmeSiloed)).contains("none registered");
  }
}
