package io.tenantry.bench;

import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tenantry control plane reached with its admin key: the address, the request factory every driver
 * uses, and the set-up calls a benchmark makes before its load. Immutable and thread-safe.
 */
final class TenantryAdmin {
  private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");
  private final InetSocketAddress address;
  private final Requests requests;

  TenantryAdmin(InetSocketAddress address, String adminKey) {
    this.address = address;
    this.requests = new Requests(address.getHostString() + ":" + address.getPort(), "Bearer " + adminKey,
        "application/json");
  }

  InetSocketAddress address() {
    return address;
  }

  Requests requests() {
    return requests;
  }

  /** Creates {@code namespace}; one that exists already is fine. */
  void createNamespace(String namespace) throws IOException {
    String body = "{\"name\":\"" + namespace + "\",\"description\":\"benchmark\"}";
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
      int status = c.exchange(requests.send("POST", ApiPaths.NAMESPACES, TenantryRegistry.JSON, body));
      if (status / 100 != 2 && status != 409) {
        throw new IOException("create namespace " + namespace + ": status " + status + " " + c.body());
      }
    }
  }

  /** Creates an API key of {@code role} in {@code namespace}; returns its secret. */
  String createKey(String namespace, String name, String role) throws IOException {
    String body = "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}";
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
      int status = c.exchange(requests.send("POST", ApiPaths.expand(ApiPaths.KEYS, namespace), TenantryRegistry.JSON,
          body));
      Matcher m = SECRET.matcher(c.body());
      if (status != 201 || !m.find()) {
        throw new IOException("create key " + name + " in " + namespace + ": status " + status + " " + c.body());
      }
      return m.group(1);
    }
  }

  /** Creates the active tenant {@code id} (tier standard, pooled) in {@code namespace}. */
  void createTenant(String namespace, String id) throws IOException {
    String body = "{\"id\":\"" + id + "\",\"tier\":\"standard\",\"isolation\":\"pooled\",\"status\":\"active\"}";
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
      int status = c.exchange(requests.send("POST", ApiPaths.expand(ApiPaths.TENANTS, namespace),
          TenantryRegistry.JSON, body));
      if (status != 201) {
        throw new IOException("create tenant " + id + " in " + namespace + ": status " + status + " " + c.body());
      }
    }
  }
}
