package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ValidationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport-neutral entry points, {@link Governor} and {@link ServiceDoor}, with good and hostile input. */
class GovernorIT {
  private static final RequestHeaders<Map<String, String>> MAP = (m, name) -> m.get(name);

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private TenantryClient payment;
  private TenantryClient order;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    cp.tenant("shop", "globex", "standard", "pooled", "active");
    cp.tenant("shop", "hooli", "standard", "pooled", "suspended");
    payment = cp.started(cp.client("shop", key, null).serviceName("payment"));
    order = cp.started(cp.client("shop", key, null).serviceName("order"));
    TestInstance i = cp.track(new TestInstance("payment-1"));
    payment.register("payment", i.spec(null, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> order.instances("payment").size() == 1
        && payment.tenant("hooli").isPresent());
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  @Test
  void governedCall_aimsAtAnInstance_andRetriesOnlyWhenAllowed() {
    GovernedCall call = order.governor().begin("payment", "POST", "/pay", CallOptions.defaults().tenant("globex"));
    assertThat(call.service()).isEqualTo("payment");
    assertThat(call.tenant()).isEqualTo("globex");
    assertThat(call.attempt()).isEqualTo(1);
    assertThat(call.target(URI.create("http://payment/pay?x=1")).toString()).matches("http://127\\.0\\.0\\.1:\\d+/pay\\?x=1");
    assertThat(call.end(CallOutcome.HTTP_ERROR, 503, true)).isTrue(); // one instance: tried again, after backoff
    assertThat(call.attempt()).isEqualTo(2);
    assertThat(call.backoff()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(call.end(CallOutcome.SUCCESS, 200, false)).isFalse();
  }

  @Test
  void governor_refusesBadInput_withClearErrors() {
    Governor g = order.governor();
    assertThatThrownBy(() -> g.begin("Payment!", "GET", "/")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> g.begin("x".repeat(10_000), "GET", "/")).isInstanceOf(ValidationException.class)
        .hasMessageNotContaining("x".repeat(100));
    assertThatThrownBy(() -> g.begin(null, "GET", "/")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> g.begin("payment", null, "/")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> g.begin("payment", "GET", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> g.begin("nobody", "GET", "/")).isInstanceOf(NoInstanceAvailableException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> CallOptions.defaults().tenant("Bad Tenant")).isInstanceOf(ValidationException.class);
  }

  @Test
  void door_admitsAndRefuses_withProblems() throws Exception {
    ServiceDoor door = payment.door();
    ServiceDoor.Admission ok = door.enter(Map.of("x-tenant-id", "globex"), MAP, "GET", "/pay");
    assertThat(ok.refused()).isFalse();
    assertThat(ok.tenant()).isEqualTo("globex");
    door.exit(ok, 200);
    ServiceDoor.Admission none = door.enter(Map.of(), MAP, "GET", "/pay");
    assertThat(none.refused()).isFalse();
    assertThat(none.tenant()).isNull();
    door.exit(none, 200);

    ServiceDoor.Admission bad = door.enter(Map.of("x-tenant-id", "<script>" + "x".repeat(5000)), MAP, "GET", "/pay");
    assertThat(bad.refused()).isTrue();
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new ObjectMapper().readTree(bad.problem()).get("type").asText()).endsWith("invalid-tenant");
    assertThat(new String(bad.problem())).hasSizeLessThan(1000);

    ServiceDoor.Admission suspended = door.enter(Map.of("baggage", "tenant.id=hooli"), MAP, "GET", "/pay");
    assertThat(suspended.status()).isEqualTo(403);
    assertThat(new ObjectMapper().readTree(suspended.problem()).get("detail").asText()).contains("hooli");

    assertThatThrownBy(() -> door.enter(Map.of(), null, "GET", "/")).isInstanceOf(NullPointerException.class);
  }
}
