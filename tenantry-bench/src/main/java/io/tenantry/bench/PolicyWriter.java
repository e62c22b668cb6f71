package io.tenantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import java.io.Closeable;
import java.io.IOException;

/**
 * Puts policies of one namespace over one keep-alive connection, as an operator's tool would, and returns
 * the version the control plane gave each write. Not thread-safe.
 */
final class PolicyWriter implements Closeable {
  private static final ObjectMapper MAPPER = Json.newMapper();

  private final TenantryAdmin admin;
  private final String namespace;
  private final HttpConnection connection;

  PolicyWriter(TenantryAdmin admin, String namespace) throws IOException {
    this.admin = admin;
    this.namespace = namespace;
    this.connection = HttpConnection.open(admin.address()).keepingBodies();
  }

  /**
   * Puts {@code kind/name} for {@code service} with {@code spec} (a JSON object) and returns its new version.
   *
   * @throws IOException if the control plane refuses it or cannot be reached
   */
  long put(String kind, String name, String service, String spec) throws IOException {
    String body = "{\"service\":\"" + service + "\",\"spec\":" + spec + "}";
    int status = connection.exchange(admin.requests().send("PUT", ApiPaths.expand(ApiPaths.POLICY, namespace, kind,
        name), TenantryRegistry.JSON, body));
    if (status / 100 != 2) {
      throw new IOException("PUT policy " + kind + "/" + name + " answered " + status + ": " + connection.body());
    }
    JsonNode answer = MAPPER.readTree(connection.body());
    if (!answer.path("version").canConvertToLong()) {
      throw new IOException("PUT policy " + kind + "/" + name + ": no version in " + connection.body());
    }
    return answer.get("version").asLong();
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
