package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Switches a payment instance's injected faults while it runs ({@code PUT /internal/fault} with the
 * namespace's service key; the fields not given keep their values): the demo's outage of
 * {@code payment-2} ({@code failRate}), the chaos test's halts after a try and slow tries. Thread-safe.
 */
final class FaultControl {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = Json.newMapper();
  private final String serviceKey;

  FaultControl(String serviceKey) {
    this.serviceKey = serviceKey;
  }

  /** Sets the share of calls {@code instance} refuses with 503; throws if it does not take it. */
  void setFailRate(Instance instance, double failRate) throws IOException, InterruptedException {
    set(instance, Map.of("failRate", failRate));
  }

  /** Sets the faults named in {@code setting} (failRate, haltAfterTry, slowTry, slowTryRate); throws if refused. */
  void set(Instance instance, Map<String, ?> setting) throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + instance.authority() + "/internal/fault"))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header(Headers.AUTHORIZATION, Headers.BEARER + serviceKey)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(setting)))
        .build();
    HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("PUT /internal/fault on " + instance.id() + ": HTTP " + response.statusCode() + " "
          + response.body());
    }
  }
}
