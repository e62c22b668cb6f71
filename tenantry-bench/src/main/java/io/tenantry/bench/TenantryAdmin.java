package io.tenantry.bench;

import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A Tenantry control plane reached with its admin key: the address, the request factory every driver
 * uses, and the set-up calls a benchmark makes before its load. Immutable and thread-safe.
 */
final class TenantryAdmin {
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
}
