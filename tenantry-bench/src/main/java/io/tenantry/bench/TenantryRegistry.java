package io.tenantry.bench;

import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Tenantry's registry API: instance {@code i} is {@code i-<i>} of service {@code svc-<i/10>} in one namespace. */
final class TenantryRegistry implements RegistryTarget {
  static final String JSON = "application/json";

  private final TenantryAdmin admin;
  private final String namespace;
  private final Requests requests;

  TenantryRegistry(TenantryAdmin admin, String namespace) {
    this.admin = admin;
    this.namespace = namespace;
    this.requests = admin.requests();
  }

  @Override
  public String system() {
    return "tenantry";
  }

  @Override
  public InetSocketAddress address() {
    return admin.address();
  }

  @Override
  public void prepare() throws IOException, InterruptedException {
    admin.createNamespace(namespace);
  }

  @Override
  public byte[] register(long i) {
    return requests.send("PUT", instancePath(i), JSON, "{\"id\":\"i-" + i + "\",\"host\":\"10.0." + (i / 250 % 250)
        + "." + (i % 250 + 1) + "\",\"port\":8080,\"version\":\"v1\",\"zone\":\"zone-" + (i % 3)
        + "\",\"weight\":100,\"status\":\"UP\",\"labels\":{\"env\":\"bench\"},\"leaseSeconds\":600}");
  }

  @Override
  public byte[] heartbeat(long i) {
    return requests.send("POST", instancePath(i) + "/heartbeat", JSON, null);
  }

  @Override
  public byte[] deregister(long i) {
    return requests.send("DELETE", instancePath(i), JSON, null);
  }

  @Override
  public byte[] read(long i) {
    return requests.get(ApiPaths.expand(ApiPaths.INSTANCES, namespace, service(i)));
  }

  @Override
  public byte[] heartbeatBatch(long first, int count) {
    StringBuilder b = new StringBuilder(48 * count).append("{\"instances\":[");
    for (long i = first; i < first + count; i++) {
      if (i > first) {
        b.append(',');
      }
      b.append("{\"service\":\"").append(service(i)).append("\",\"id\":\"i-").append(i).append("\"}");
    }
    return requests.send("POST", ApiPaths.expand(ApiPaths.HEARTBEATS, namespace), JSON, b.append("]}").toString());
  }

  private String instancePath(long i) {
    return ApiPaths.expand(ApiPaths.INSTANCE, namespace, service(i), "i-" + i);
  }

  private static String service(long i) {
    return "svc-" + RegistryTarget.service(i);
  }
}
