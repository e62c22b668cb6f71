package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.api.policy.RateLimitSpec;
import io.tenantry.api.policy.TracingSpec;
import io.tenantry.api.policy.ResilienceSpec;
import io.tenantry.api.policy.RouteSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  @Test
  void bundled_areTheDemosSixPolicies_validAsTheControlPlaneChecksThem() {
    List<PolicyFile> files = PolicyFile.bundled();

    assertThat(files).extracting(PolicyFile::label).containsExactly(
        "rate-limit/orders-per-tenant on order", "resilience/order-tenant-bulkhead on order",
        "route/order-v2-canary on order", "resilience/payment-protection on payment", "tracing/sampling on *",
        "alert/payment-health on payment");
    RateLimitSpec limit = (RateLimitSpec) PolicySpecs.parse(PolicyKind.RATE_LIMIT, files.get(0).body().spec());
    assertThat(limit.limits().get(0).tiers().get("free").rate()).isEqualTo(10);
    RouteSpec route = (RouteSpec) PolicySpecs.parse(PolicyKind.ROUTE, files.get(2).body().spec());
    assertThat(route.rules().get(0).match().tenants()).containsExactly(Topology.CANARY_TENANT);
    assertThat(route.rules().get(0).destinations()).extracting(RouteSpec.Destination::weight).containsExactly(90, 10);
    ResilienceSpec payment = (ResilienceSpec) PolicySpecs.parse(PolicyKind.RESILIENCE, files.get(3).body().spec());
    assertThat(payment.outlierDetection().consecutiveFailures()).isEqualTo(3);
    TracingSpec tracing = (TracingSpec) PolicySpecs.parse(PolicyKind.TRACING, files.get(4).body().spec());
    assertThat(tracing.tenants()).containsEntry(Topology.CANARY_TENANT, 1.0);
    AlertSpec alerts = (AlertSpec) PolicySpecs.parse(PolicyKind.ALERT, files.get(5).body().spec());
    assertThat(alerts.rules()).extracting(AlertSpec.Rule::name)
        .containsExactly("payment-errors", "payment-errors-by-tenant", "payment-slow");
    assertThat(alerts.rules().get(0).eachInstance()).as("payment-errors: one alert per instance").isTrue();
    assertThat(files).allMatch(f -> !f.body().dryRun() && !f.body().description().isEmpty());
  }

  @Test
  void withNotifier_addsTheWebhookToAnAlertPolicyOnly() {
    List<PolicyFile> files = PolicyFile.bundled();
    java.net.URI hook = java.net.URI.create("http://127.0.0.1:4000/alerts");

    AlertSpec alerts = (AlertSpec) PolicySpecs.parse(PolicyKind.ALERT, files.get(5).withNotifier(hook).body().spec());

    assertThat(alerts.notifiers()).extracting(n -> n.url()).containsExactly(hook.toString());
    assertThat(files.get(0).withNotifier(hook)).isSameAs(files.get(0));
  }

  @Test
  void parse_namesTheFileAndTheField_ofABadPolicy() {
    String yaml = """
        kind: rate-limit
        name: broken
        service: order
        spec:
          limits:
            - name: l
              rate: 0
        """;
    assertThatThrownBy(() -> PolicyFile.parse("broken.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("broken.yaml: spec.limits[0].rate");
    assertThatThrownBy(() -> PolicyFile.parse("x.yaml", "kind: route\nname: x\nservice: order\nspek: {}\n"
        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("x.yaml: spek: unknown field");
    assertThatThrownBy(() -> PolicyFile.parse("y.yaml", "kind: routing\nname: y\nservice: order\nspec: {}\n"
        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("y.yaml: kind");
  }

  @Test
  void directory_readsEveryYamlFile_byName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.yaml"), "# why\nkind: quota\nname: daily\nservice: '*'\nspec:\n  quotas:\n"
        + "    - { name: per-day, limit: 1000 }\n");
    Files.writeString(dir.resolve("a.yml"), "kind: resilience\nname: t\nservice: user\ndryRun: true\nspec: {timeout: 1s}\n");
    Files.writeString(dir.resolve("notes.txt"), "not a policy");

    List<PolicyFile> files = PolicyFile.directory(dir);

    assertThat(files).extracting(PolicyFile::name).containsExactly("t", "daily");
    assertThat(files.get(0).body().dryRun()).isTrue();
    assertThat(files.get(1).body().service()).isEqualTo("*");
  }
}
