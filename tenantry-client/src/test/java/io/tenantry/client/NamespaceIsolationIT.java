package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.InstanceSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client with namespace A's key sees and changes nothing of namespace B. */
class NamespaceIsolationIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String keyA;
  private String keyB;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
    keyA = cp.namespace("alpha", "service");
    keyB = cp.namespace("beta", "service");
    cp.tenant("beta", "acme", "pooled", "active");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private static InstanceSpec spec(String id) {
    return new InstanceSpec(id, "127.0.0.1", 9001, null, null, null, null, Map.of(), null, 30);
  }

  @Test
  void sameServiceName_inTwoNamespaces_staysApart() {
    TenantryClient a = cp.started(cp.client("alpha", keyA, null));
    TenantryClient b = cp.started(cp.client("beta", keyB, null));
    a.register("payment", spec("alpha-1"));
    b.register("payment", spec("beta-1"));
    assertThat(a.instances("payment")).extracting(i -> i.id()).containsExactly("alpha-1");
    assertThat(b.instances("payment")).extracting(i -> i.id()).containsExactly("beta-1");
    assertThat(a.tenant("acme")).isEmpty();
    assertThat(b.tenant("acme")).isPresent();
  }

  @Test
  void keyOfA_usedForB_seesNothing_andCannotRegister() {
    TenantryClient b = cp.started(cp.client("beta", keyB, null));
    b.register("payment", spec("beta-1"));
    TenantryClient intruder = cp.started(cp.client("beta", keyA, null));
    assertThat(intruder.instances("payment")).isEmpty();
    assertThat(intruder.tenant("acme")).isEmpty();
    assertThatThrownBy(() -> intruder.register("payment", spec("evil-1")))
        .isInstanceOfSatisfying(TenantryException.class, e -> assertThat(e.status()).isIn(403, 404));
    assertThat(cp.listedIds("beta", "payment")).containsExactly("beta-1");
  }
}
