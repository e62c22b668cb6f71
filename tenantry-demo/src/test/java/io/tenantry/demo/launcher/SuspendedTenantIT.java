package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.Headers;
import io.tenantry.api.Isolation;
import io.tenantry.api.Json;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.Problem;
import io.tenantry.api.Role;
import io.tenantry.api.TenantSpec;
import io.tenantry.api.TenantStatus;
import io.tenantry.demo.service.Balancers;
import io.tenantry.demo.service.ServiceConfig;
import io.tenantry.demo.service.ServiceConfig.Kind;
import io.tenantry.demo.service.ServiceProcess;
import io.tenantry.demo.store.DatabaseSettings;
import io.tenantry.server.ServerConfig;
import io.tenantry.server.TenantryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant suspended through the control plane's API is refused at the door of every demo service
 * (403 problem+json from {@code TenantryHttpFilter} with the started client, which watches tenants),
 * while another tenant is still served. The real control plane and the real services, in this JVM.
 */
class SuspendedTenantIT {
  private static final String ADMIN_KEY = "demo-test-admin-key-0123456789";
  private static final TenantSpec GLOBEX = new TenantSpec("globex", "standard", TenantStatus.ACTIVE, Isolation.POOLED, Map.of());
  private static final TenantSpec INITECH = new TenantSpec("initech", "free", TenantStatus.ACTIVE, Isolation.POOLED, Map.of());

  private final ObjectMapper json = Json.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Map<Kind, URI> doors = new LinkedHashMap<>();
  @TempDir
  Path dir;
  private TenantryServer server;
  private AdminApi admin;

  @BeforeEach
  void start() throws Exception {
    server = TenantryServer.start(ServerConfig.newBuilder().port(0).dataDir(dir.resolve("data")).adminKey(ADMIN_KEY).build());
    admin = new AdminApi(json, server.baseUri(), ADMIN_KEY);
    admin.createNamespace(new NamespaceSpec("shop", "suspension test"));
    admin.createTenant("shop", GLOBEX);
    admin.createTenant("shop", INITECH);
    String key = admin.createKey("shop", new ApiKeySpec("services", Role.SERVICE));
    for (Kind kind : Kind.values()) {
      String id = kind.serviceName() + "-1";
      ServiceProcess p = new ServiceProcess(new ServiceConfig(kind, id, "127.0.0.1", 0, null, "v1", "zone-a", 0,
          Balancers.ROUND_ROBIN, List.of(server.baseUri().toString()), "shop", key, dir.resolve("snapshots").resolve(id), 8,
          DatabaseSettings.h2File(dir.resolve("db"), kind.serviceName())));
      services.add(p);
      doors.put(kind, URI.create("http://127.0.0.1:" + p.start() + "/stats"));
    }
  }

  @AfterEach
  void stop() {
    services.forEach(ServiceProcess::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void suspendedTenant_isRefusedByEveryService_andOthersAreStillServed() throws Exception {
    for (URI door : doors.values()) {
      assertThat(get(door, "globex").statusCode()).as(door.toString()).isEqualTo(200);
    }

    admin.updateTenant("shop", new TenantSpec("globex", "standard", TenantStatus.SUSPENDED, Isolation.POOLED, Map.of()));

    for (Map.Entry<Kind, URI> door : doors.entrySet()) {
      HttpResponse<String> refused = await(door.getKey() + " refuses suspended globex").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(door.getValue(), "globex"), r -> r.statusCode() == 403);
      assertThat(refused.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
      JsonNode problem = json.readTree(refused.body());
      assertThat(problem.path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + "tenant-suspended");
      assertThat(problem.path("status").asInt()).isEqualTo(403);
      assertThat(get(door.getValue(), "initech").statusCode()).as(door.getKey() + " still serves initech").isEqualTo(200);
    }
  }

  private HttpResponse<String> get(URI uri, String tenant) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header(Headers.TENANT_ID, tenant).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
