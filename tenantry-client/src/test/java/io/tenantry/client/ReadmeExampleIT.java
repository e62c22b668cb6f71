package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "SDK in your own service" example, line for line but for the server address, the key
 * and the instance's address, run against a real control plane: if the README's code stops compiling or
 * working, this fails.
 */
class ReadmeExampleIT {
  @TempDir Path data;

  @Test
  void readmeExample_registersDiscoversAndCallsForATenant() throws Exception {
    try (ControlPlaneFixture cp = new ControlPlaneFixture(data)) {
      String apiKey = cp.namespace("shop", "service");
      cp.tenant("shop", "acme", "siloed", "active");
      TestInstance acmePayment = cp.track(new TestInstance("payment-acme"));
      TenantryClient payment = cp.started(cp.client("shop", apiKey, null).serviceName("payment"));
      payment.register("payment", acmePayment.spec("acme", 30));
      String json = "{\"amount\":10}";

      // --- README, from here ---
      try (TenantryClient tenantry = TenantryClient.newBuilder()
              .servers(cp.baseUri().toString())
              .namespace("shop")
              .apiKey(apiKey)
              .serviceName("order")
              .snapshotDirectory(data.resolve("snapshots"))
              .build()) {
        tenantry.start();

        tenantry.register("order", new InstanceSpec("order-1", "127.0.0.1", 8080, "v1", "zone-a", 100, null, Map.of(), null, null));

        List<Instance> payments = tenantry.instances("payment");

        HttpResponse<String> response;
        try (var scope = TenantContext.enter("acme")) {
          response = tenantry.http().send(
              HttpRequest.newBuilder(URI.create("http://payment/payments")).POST(BodyPublishers.ofString(json)).build(),
              BodyHandlers.ofString(),
              CallOptions.defaults().retryable(true));
        }
        // --- README, to here ---

        assertThat(payments).extracting(Instance::id).containsExactly("payment-acme");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(acmePayment.count()).isEqualTo(1);
        assertThat(cp.listedIds("shop", "order")).containsExactly("order-1");
      }
    }
  }
}
