package io.tenantry.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.TenantContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each write to the peers that may serve the same tenant, before the write is answered, so that
 * a later read reaching another instance finds it: the instances of this service with the same
 * dedication (all shared ones, or the ones dedicated to the same tenant). A siloed tenant's data thus
 * never leaves its own instances. A peer that is down is skipped: this is a demo's store, not a
 * database (an instance that starts later holds only what was written after it joined).
 *
 * <p>Peers authenticate with the namespace's service API key that every instance already holds
 * ({@code Authorization: Bearer <key>}); {@link #route} answers anything else with 401 problem+json, so
 * that no one without the key can plant records in a tenant's store. Thread-safe.
 */
final class Replicator {
  static final String PATH = "/internal/replicate";
  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  /** One replicated write. */
  record Write(String kind, String key, JsonNode record) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ObjectMapper json;
  private final Supplier<List<Instance>> instances;
  private final String selfId;
  private final String selfTenant;
  private final ServiceKey serviceKey;

  Replicator(ObjectMapper json, Supplier<List<Instance>> instances, String selfId, String selfTenant, String apiKey) {
    this.serviceKey = new ServiceKey(apiKey);
    this.json = json;
    this.instances = instances;
    this.selfId = selfId;
    this.selfTenant = selfTenant;
  }

  List<Instance> peers() {
    return instances.get().stream()
        .filter(i -> !i.id().equals(selfId) && i.status() == InstanceStatus.UP && Objects.equals(i.tenant(), selfTenant))
        .toList();
  }

  void replicate(String tenant, String kind, String key, Object record) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(new Write(kind, key, json.valueToTree(record)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + kind, e);
    }
    for (Instance peer : peers()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + peer.authority() + PATH))
          .timeout(Duration.ofSeconds(2))
          .header("Content-Type", "application/json")
          .header(Headers.TENANT_ID, tenant)
          .header(Headers.AUTHORIZATION, serviceKey.bearer())
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      try {
        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
          log.warn("replicating {} {} to {}: HTTP {}", kind, key, peer.id(), r.statusCode());
        }
      } catch (IOException e) {
        log.warn("replicating {} {} to {}: {}", kind, key, peer.id(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Adds {@code POST /internal/replicate}: a peer's write applied to {@code resource} for the request's
   * tenant, only with the service key as bearer token (401 otherwise, before the body is read).
   */
  void route(Router router, Resource resource) {
    router.route("POST", PATH, r -> {
      serviceKey.check(r.header(Headers.AUTHORIZATION));
      String tenant = TenantContext.current().orElseThrow(() ->
          HttpProblem.badRequest(Headers.TENANT_ID, "missing (expected: the tenant of the replicated record)"));
      resource.apply(tenant, r.body(Write.class));
      return new Router.Response(204, null);
    });
  }
}
