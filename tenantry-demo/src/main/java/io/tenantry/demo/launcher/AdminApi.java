package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.CreatedApiKey;
import io.tenantry.api.Headers;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.TenantSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The control-plane calls the launcher makes with the admin key: health, creating the namespace, its
 * tenants and a service key, applying policies, and changing a tenant (e.g. suspending it). Creating what already exists (409) is fine: the launcher may run
 * against a control plane that has them. Thread-safe.
 */
final class AdminApi {
  /** {@code PUT} a policy: the control plane's route (the same as ApiPaths.POLICY on the server's side). */
  static final String POLICY = ApiPaths.NAMESPACE + "/policies/{kind}/{name}";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json;
  private final URI base;
  private final String adminKey;

  AdminApi(ObjectMapper json, URI base, String adminKey) {
    this.json = json;
    this.base = base;
    this.adminKey = adminKey;
  }

  /** True if {@code /health} answers 200 now. */
  boolean healthy() {
    try {
      HttpRequest r = HttpRequest.newBuilder(base.resolve(ApiPaths.HEALTH)).timeout(Duration.ofSeconds(2)).GET().build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void createNamespace(NamespaceSpec spec) throws IOException, InterruptedException {
    post(ApiPaths.NAMESPACES, spec, true);
  }

  void createTenant(String namespace, TenantSpec spec) throws IOException, InterruptedException {
    post(ApiPaths.expand(ApiPaths.TENANTS, namespace), spec, true);
  }

  /** Replaces tenant {@code spec.id()} (e.g. with status suspended); the tenant must exist. */
  void updateTenant(String namespace, TenantSpec spec) throws IOException, InterruptedException {
    send("PUT", ApiPaths.expand(ApiPaths.TENANT, namespace, spec.id()), spec, false);
  }

  /** Creates or replaces a policy (PUT); answers its version. */
  long putPolicy(String namespace, PolicyFile policy) throws IOException, InterruptedException {
    HttpResponse<String> r = send("PUT", ApiPaths.expand(POLICY, namespace, policy.kind().wire(), policy.name()),
        policy.body(), false);
    return json.readTree(r.body()).path("version").asLong();
  }

  /** Creates a key and returns its secret token, which the control plane shows only this once. */
  String createKey(String namespace, ApiKeySpec spec) throws IOException, InterruptedException {
    HttpResponse<String> r = post(ApiPaths.expand(ApiPaths.KEYS, namespace), spec, false);
    return json.readValue(r.body(), CreatedApiKey.class).secret();
  }

  /** GETs {@code pathAndQuery} (already encoded) and answers its JSON; any status but 200 is an IOException. */
  JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(10))
        .header(Headers.AUTHORIZATION, Headers.BEARER + adminKey)
        .GET()
        .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return json.readTree(r.body());
  }

  private HttpResponse<String> post(String path, Object body, boolean existingIsFine)
      throws IOException, InterruptedException {
    return send("POST", path, body, existingIsFine);
  }

  private HttpResponse<String> send(String method, String path, Object body, boolean existingIsFine)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header(Headers.AUTHORIZATION, Headers.BEARER + adminKey)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
        .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 201 || r.statusCode() == 200 || (existingIsFine && r.statusCode() == 409)) {
      return r;
    }
    throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
  }
}
