package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's configuration and lifecycle without a control plane. */
class TenantryClientTest {
  private static TenantryClient.Builder valid() {
    return TenantryClient.newBuilder().servers("http://127.0.0.1:1").namespace("shop").apiKey("tnt_secret")
        .snapshotDirectory(null).shutdownHook(false);
  }

  @Test
  void build_requiresServersNamespaceAndKey() {
    assertThatThrownBy(() -> TenantryClient.newBuilder().namespace("shop").apiKey("k").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servers").hasMessageContaining("expected");
    assertThatThrownBy(() -> TenantryClient.newBuilder().servers("http://h:1").apiKey("k").build())
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> TenantryClient.newBuilder().servers("http://h:1").namespace("shop").build())
        .hasMessageContaining("apiKey");
  }

  @Test
  void builder_refusesBadValues() {
    TenantryClient.Builder b = TenantryClient.newBuilder();
    assertThatThrownBy(() -> b.servers("ftp://h")).hasMessageContaining("servers: 'ftp://h'");
    assertThatThrownBy(() -> b.servers("http://h:1,not a uri")).hasMessageContaining("servers");
    assertThatThrownBy(() -> b.servers("http://h:1/?q=1")).hasMessageContaining("servers");
    assertThatThrownBy(() -> b.servers((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.namespace("Shop")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> b.namespace(null)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> b.apiKey("with space")).hasMessageContaining("apiKey").hasMessageNotContaining("space");
    assertThatThrownBy(() -> b.apiKey("")).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> b.serviceName("Order!")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> b.protectThreshold(1.5)).hasMessageContaining("protectThreshold: 1.5 (expected: 0..1");
    assertThatThrownBy(() -> b.protectThreshold(Double.NaN)).hasMessageContaining("protectThreshold");
    assertThatThrownBy(() -> b.protectHoldLimit(Duration.ZERO)).hasMessageContaining("protectHoldLimit");
    assertThatThrownBy(() -> b.firstLookupWait(Duration.ofSeconds(-1))).hasMessageContaining("firstLookupWait");
    assertThatThrownBy(() -> b.loadBalancer(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void environment_configuresTheClient() {
    TenantryClient c = TenantryClient.newBuilder().environment(Map.of("TENANTRY_SERVERS", "http://a:1, http://b:2",
        "TENANTRY_NAMESPACE", "shop", "TENANTRY_API_KEY", "tnt_x", "TENANTRY_SERVICE", "order",
        "TENANTRY_PROTECT_THRESHOLD", "0.3")).build();
    assertThat(c.namespace()).isEqualTo("shop");
    assertThatThrownBy(() -> TenantryClient.newBuilder().environment(Map.of("TENANTRY_PROTECT_THRESHOLD", "lots")))
        .hasMessageContaining("TENANTRY_PROTECT_THRESHOLD");
  }

  @Test
  void use_beforeStart_orAfterClose_isRefused() {
    TenantryClient c = valid().build();
    assertThatThrownBy(() -> c.instances("payment")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start()");
    assertThatThrownBy(c::http).isInstanceOf(IllegalStateException.class);
    assertThat(c.stats().watchConnects()).isZero();
    c.close();
    c.close();
    assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> c.instances("payment")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void entryPoints_validateNames() {
    try (TenantryClient c = valid().firstLookupWait(Duration.ZERO).build().start()) {
      assertThatThrownBy(() -> c.instances(null)).isInstanceOf(ValidationException.class).hasMessageContaining("service");
      assertThatThrownBy(() -> c.instances("Payment")).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> c.tenant("a b")).isInstanceOf(ValidationException.class).hasMessageContaining("tenant");
      assertThatThrownBy(() -> c.subscribe("payment", null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("listener");
      assertThatThrownBy(() -> c.register("bad_name", null)).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> c.register("order", null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("spec");
      assertThat(c.instances("payment")).isEmpty();
    }
  }
}
