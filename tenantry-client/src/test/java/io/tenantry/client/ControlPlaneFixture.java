package io.tenantry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.Json;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real control plane in-process for the SDK's integration tests: port 0 on first start, the same
 * port and data directory on a restart (so clients keep their configured address), a known admin key,
 * and a few admin calls over real HTTP. Also closes every client and instance a test made.
 */
public final class ControlPlaneFixture implements AutoCloseable {
  public static final String ADMIN_KEY = "sdk-test-admin-key-0123456789";
  private static final ObjectMapper JSON = Json.newMapper();

  private final Path dataDir;
  private final java.util.function.UnaryOperator<ServerConfig.Builder> customize;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TenantryServer server;
  private int port;
  private URI baseUri;

  public ControlPlaneFixture(Path dataDir) {
    this(dataDir, b -> b);
  }

  /** With {@code customize} applied to the server's configuration. */
  public ControlPlaneFixture(Path dataDir, java.util.function.UnaryOperator<ServerConfig.Builder> customize) {
    this.dataDir = dataDir;
    this.customize = customize;
    start(0);
  }

  private void start(int onPort) {
    server = TenantryServer.start(customize.apply(ServerConfig.newBuilder().port(onPort).dataDir(dataDir)
        .adminKey(ADMIN_KEY).reaperInterval(Duration.ofMillis(200))).build());
    port = server.port();
    baseUri = server.baseUri();
  }

  public URI baseUri() {
    return baseUri;
  }

  /** Stops the control plane; clients see it down until {@link #startAgain()}. */
  public void stop() {
    server.close();
  }

  /** Starts it again on the same port and data directory (durable objects survive, instances do not). */
  public void startAgain() {
    start(port);
  }

  public void restart() {
    stop();
    startAgain();
  }

  /** Creates a namespace and returns a key of {@code role} for it. */
  public String namespace(String name, String role) {
    call("POST", ApiPaths.NAMESPACES, ADMIN_KEY, Map.of("name", name), 201);
    return key(name, role);
  }

  public String key(String namespace, String role) {
    JsonNode created = call("POST", ApiPaths.expand(ApiPaths.KEYS, namespace), ADMIN_KEY,
        Map.of("name", "k" + System.nanoTime(), "role", role), 201);
    return created.get("secret").asText();
  }

  public void tenant(String namespace, String id, String isolation, String status) {
    call("POST", ApiPaths.expand(ApiPaths.TENANTS, namespace), ADMIN_KEY,
        Map.of("id", id, "tier", "standard", "isolation", isolation, "status", status), 201);
  }

  /** Registers an instance over raw HTTP, without heartbeats: it lives for its lease. */
  public void registerRaw(String namespace, String service, InstanceSpec spec) {
    int status = send("PUT", ApiPaths.expand(ApiPaths.INSTANCE, namespace, service, spec.id()), ADMIN_KEY, spec)
        .statusCode();
    if (status != 200 && status != 201) {
      throw new IllegalStateException("register: HTTP " + status);
    }
  }

  /** The instance ids the control plane lists for a service. */
  public List<String> listedIds(String namespace, String service) {
    JsonNode list = call("GET", ApiPaths.expand(ApiPaths.INSTANCES, namespace, service), ADMIN_KEY, null, 200);
    List<String> ids = new ArrayList<>();
    list.get("items").forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  /** A client of {@code namespace} with {@code key}, snapshots in {@code snapshots} (may be null), closed after the test. */
  public TenantryClient.Builder client(String namespace, String key, Path snapshots) {
    return TenantryClient.newBuilder().servers(baseUri.toString()).namespace(namespace).apiKey(key)
        .snapshotDirectory(snapshots).shutdownHook(false);
  }

  public TenantryClient started(TenantryClient.Builder builder) {
    return track(builder.build().start());
  }

  public <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private JsonNode call(String method, String path, String key, Object body, int expected) {
    HttpResponse<String> r = send(method, path, key, body);
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    try {
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> send(String method, String path, String key, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(baseUri.resolve(path)).header(Headers.AUTHORIZATION,
          Headers.BEARER + key);
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
