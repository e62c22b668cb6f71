package io.tenantry.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.InstanceSpec;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.ServerFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the SDK's integration tests add to the server's {@link ServerFixture}: a fast reaper, restarts
 * on the same port (clients keep their configured address), the calls the SDK tests make as admin, and
 * clients and instances closed after the test. Not thread-safe.
 */
public final class ControlPlaneFixture implements AutoCloseable {
  private final ServerFixture server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public ControlPlaneFixture(Path dataDir) {
    this(dataDir, b -> b);
  }

  /** With {@code customize} applied to the server's configuration. */
  public ControlPlaneFixture(Path dataDir, UnaryOperator<ServerConfig.Builder> customize) {
    this.server = ServerFixture.start(
        customize.apply(ServerFixture.config(dataDir).reaperInterval(Duration.ofMillis(200))).build());
  }

  public URI baseUri() {
    return server.baseUri();
  }

  /** Stops the control plane; clients see it down until {@link #startAgain()}. */
  public void stop() {
    server.stop();
  }

  /** Starts it again on the same port and data directory (durable objects survive, instances do not). */
  public void startAgain() {
    server.startAgain();
  }

  public void restart() {
    stop();
    startAgain();
  }

  /** Creates a namespace and returns a key of {@code role} for it. */
  public String namespace(String name, String role) {
    server.namespace(name);
    return key(name, role);
  }

  public String key(String namespace, String role) {
    return server.key(namespace, role);
  }

  public void tenant(String namespace, String id, String isolation, String status) {
    tenant(namespace, id, "standard", isolation, status);
  }

  public void tenant(String namespace, String id, String tier, String isolation, String status) {
    server.admin().post(ApiPaths.expand(ApiPaths.TENANTS, namespace),
        Map.of("id", id, "tier", tier, "isolation", isolation, "status", status)).expect(201);
  }

  /**
   * Puts policy {@code kind/name} of {@code namespace} for {@code service}, {@code spec} being JSON with single
   * quotes for double ones; returns the policy's version.
   */
  public long policy(String namespace, String kind, String name, String service, boolean dryRun, String spec) {
    try {
      com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          "{\"service\":\"" + service + "\",\"dryRun\":" + dryRun + ",\"spec\":" + spec.replace('\'', '"') + "}");
      JsonNode p = server.admin().put(ApiPaths.expand(ApiPaths.POLICY, namespace, kind, name), body).json();
      if (!p.has("version")) {
        throw new IllegalStateException("policy " + kind + "/" + name + " refused: " + p);
      }
      return p.get("version").asLong();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Registers an instance over raw HTTP, without heartbeats: it lives for its lease. */
  public void registerRaw(String namespace, String service, InstanceSpec spec) {
    int status = server.admin().put(ApiPaths.expand(ApiPaths.INSTANCE, namespace, service, spec.id()), spec).status();
    if (status != 200 && status != 201) {
      throw new IllegalStateException("register: HTTP " + status);
    }
  }

  /** A global transaction as the coordinator keeps it (with branches and events), read as admin. */
  public JsonNode transaction(String namespace, String xid) {
    return server.admin().get(ApiPaths.expand(ApiPaths.TRANSACTION, namespace, xid)).expect(200).json();
  }

  /** The instance ids the control plane lists for a service. */
  public List<String> listedIds(String namespace, String service) {
    JsonNode list = server.admin().get(ApiPaths.expand(ApiPaths.INSTANCES, namespace, service)).expect(200).json();
    List<String> ids = new ArrayList<>();
    list.get("items").forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  /** A client of {@code namespace} with {@code key}, snapshots in {@code snapshots} (may be null), closed after the test. */
  public TenantryClient.Builder client(String namespace, String key, Path snapshots) {
    return TenantryClient.newBuilder().servers(baseUri().toString()).namespace(namespace).apiKey(key)
        .snapshotDirectory(snapshots).shutdownHook(false);
  }

  public TenantryClient started(TenantryClient.Builder builder) {
    return track(builder.build().start());
  }

  public <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    server.close();
  }
}
