package io.tenantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireModelTest {
  private final ObjectMapper json = Json.newMapper();

  @Test
  void instanceSpec_fillsDefaults() {
    InstanceSpec spec = new InstanceSpec("o-1", "127.0.0.1", 8080, null, null, null, null, null, null, null);
    assertThat(spec.version()).isEqualTo("v1");
    assertThat(spec.zone()).isEqualTo("default");
    assertThat(spec.weight()).isEqualTo(InstanceSpec.DEFAULT_WEIGHT);
    assertThat(spec.status()).isEqualTo(InstanceStatus.UP);
    assertThat(spec.labels()).isEmpty();
  }

  @Test
  void instanceSpec_roundTripsAndRejectsBadValuesWithTheField() throws Exception {
    InstanceSpec spec = new InstanceSpec("p-1", "::1", 9000, "v2", "zone-a", 50, InstanceStatus.DRAINING,
        Map.of("tier", "gold"), "acme", 10);
    assertThat(json.readValue(json.writeValueAsString(spec), InstanceSpec.class)).isEqualTo(spec);

    assertThatThrownBy(() -> json.readValue("{\"id\":\"p-1\",\"host\":\"h\",\"port\":70000}", InstanceSpec.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasCauseInstanceOf(ValidationException.class)
        .cause().hasMessageStartingWith("port: 70000");
    assertThatThrownBy(() -> json.readValue("{\"id\":\"p-1\",\"host\":\"h\",\"port\":1,\"leaseSeconds\":0}", InstanceSpec.class))
        .cause().hasMessageStartingWith("leaseSeconds: 0");
  }

  @Test
  void json_refusesUnknownFieldsAndTrailingTokens() {
    assertThatThrownBy(() -> json.readValue("{\"name\":\"shop\",\"admin\":true}", NamespaceSpec.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
    assertThatThrownBy(() -> json.readValue("{\"name\":\"shop\"} {}", NamespaceSpec.class))
        .isInstanceOf(Exception.class);
  }

  @Test
  void json_refusesDeepNesting() {
    String deep = "{\"labels\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> json.readValue(deep, TenantSpec.class)).isInstanceOf(Exception.class);
  }

  @Test
  void enums_useTheirWireNamesAndExplainBadOnes() throws Exception {
    TenantSpec spec = json.readValue("{\"id\":\"acme\",\"tier\":\"premium\",\"status\":\"suspended\",\"isolation\":\"siloed\"}",
        TenantSpec.class);
    assertThat(spec.status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(json.writeValueAsString(spec)).contains("\"siloed\"").contains("\"suspended\"");
    assertThatThrownBy(() -> Isolation.of("shared")).hasMessageContaining("expected: one of [pooled, siloed]");
    assertThatThrownBy(() -> Role.of(null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void apiKeySpec_refusesPlatformRole() {
    assertThatThrownBy(() -> new ApiKeySpec("ci", Role.PLATFORM_ADMIN)).hasMessageStartingWith("role:");
    assertThat(new ApiKeySpec("ci", null).role()).isEqualTo(Role.SERVICE);
  }

  @Test
  void instance_authorityBracketsIpv6() {
    Instance v6 = Instance.of("shop", "order", new InstanceSpec("o", "::1", 80, null, null, null, null, null, null, null), 30, 1);
    Instance v4 = Instance.of("shop", "order", new InstanceSpec("o", "10.0.0.1", 80, null, null, null, null, null, null, null), 30, 1);
    assertThat(v6.authority()).isEqualTo("[::1]:80");
    assertThat(v4.authority()).isEqualTo("10.0.0.1:80");
    assertThat(v4.sameAs(v4.withStatus(InstanceStatus.UP, 9))).isTrue();
    assertThat(v4.sameAs(v4.withStatus(InstanceStatus.DRAINING, 9))).isFalse();
  }

  @Test
  void apiPaths_expandInOrder() {
    assertThat(ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1"))
        .isEqualTo("/api/v1/namespaces/shop/services/order/instances/o-1");
    assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.INSTANCE, "shop")).isInstanceOf(IllegalArgumentException.class);
  }
}
