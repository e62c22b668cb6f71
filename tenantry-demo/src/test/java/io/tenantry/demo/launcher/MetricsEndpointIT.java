package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.Headers;
import io.tenantry.api.Isolation;
import io.tenantry.api.Json;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.Role;
import io.tenantry.api.TenantSpec;
import io.tenantry.api.TenantStatus;
import io.tenantry.demo.service.Balancers;
import io.tenantry.demo.service.ServiceConfig;
import io.tenantry.demo.service.ServiceProcess;
import io.tenantry.demo.service.ServiceConfig.Kind;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every demo service serves {@code /metrics} in Prometheus text, anonymously: an order placed for a tenant shows
 * in the order service's door and outbound meters and in the user and payment services' door meters.
 */
class MetricsEndpointIT {
  private static final String ADMIN_KEY = "demo-test-admin-key-0123456789";

  private final ObjectMapper json = Json.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Map<Kind, URI> bases = new EnumMap<>(Kind.class);
  @TempDir
  Path dir;
  private TenantryServer server;

  @BeforeEach
  void start() throws Exception {
    server = TenantryServer.start(ServerConfig.newBuilder().port(0).dataDir(dir.resolve("data")).adminKey(ADMIN_KEY).build());
    AdminApi admin = new AdminApi(json, server.baseUri(), ADMIN_KEY);
    admin.createNamespace(new NamespaceSpec("shop", "metrics test"));
    for (String t : List.of("acme", "globex")) {
      admin.createTenant("shop", new TenantSpec(t, "standard", TenantStatus.ACTIVE, Isolation.POOLED, Map.of()));
    }
    String key = admin.createKey("shop", new ApiKeySpec("services", Role.SERVICE));
    for (Kind kind : Kind.values()) {
      String id = kind.serviceName() + "-1";
      ServiceProcess p = new ServiceProcess(new ServiceConfig(kind, id, "127.0.0.1", 0, null, "v1", "zone-a", 0,
          Balancers.ROUND_ROBIN, List.of(server.baseUri().toString()), "shop", key, dir.resolve("snapshots").resolve(id), 8,
          DatabaseSettings.h2File(dir.resolve("db"), kind.serviceName())));
      services.add(p);
      bases.put(kind, URI.create("http://127.0.0.1:" + p.start()));
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
  void ordersForTwoTenants_showInEveryServicesMetrics() throws Exception {
    String acmeUser = userOf("acme");
    String globexUser = userOf("globex");
    await().atMost(Duration.ofSeconds(10)).until(() -> send("POST", Kind.ORDER, "/orders", "acme",
        "{\"userId\":\"" + acmeUser + "\",\"amount\":5}").statusCode() == 201);
    assertThat(send("POST", Kind.ORDER, "/orders", "acme", "{\"userId\":\"" + acmeUser + "\",\"amount\":7}")
        .statusCode()).isEqualTo(201);
    assertThat(send("POST", Kind.ORDER, "/orders", "globex", "{\"userId\":\"" + globexUser + "\",\"amount\":9}")
        .statusCode()).isEqualTo(201);

    HttpResponse<String> order = metrics(Kind.ORDER);
    assertThat(order.statusCode()).isEqualTo(200);
    assertThat(order.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    // a door counts a request when its handler returns, which may be just after the caller has the answer
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String text = metrics(Kind.ORDER).body();
      double placed = sample(text, "tenantry_door_requests_seconds_count", "service=\"order\"", "method=\"POST\"",
          "tenant=\"acme\"", "status=\"2xx\"");
      assertThat(placed).isGreaterThanOrEqualTo(2);
      assertThat(sample(text, "tenantry_door_requests_seconds_count", "tenant=\"globex\"", "status=\"2xx\""))
          .isEqualTo(1);
      assertThat(sample(text, "tenantry_client_calls_total", "service=\"payment\"", "method=\"POST\"",
          "tenant=\"acme\"", "outcome=\"success\"")).isEqualTo(placed);
      assertThat(sample(metrics(Kind.PAYMENT).body(), "tenantry_door_requests_seconds_count",
          "service=\"payment\"", "tenant=\"globex\"")).isEqualTo(1);
      assertThat(sample(metrics(Kind.USER).body(), "tenantry_door_requests_seconds_count", "service=\"user\"",
          "method=\"GET\"", "tenant=\"globex\"")).isEqualTo(1);
    });
    // not a tenant's route: neither a tenant nor a request of the door
    assertThat(send("POST", Kind.USER, "/metrics", null, "{}").statusCode()).isEqualTo(405);
    assertThat(send("GET", Kind.USER, "/metrics/x", null, null).statusCode()).isEqualTo(404);
    assertThat(metrics(Kind.USER).body()).doesNotContain("tenantry_door_requests_seconds_count{method=\"GET\","
        + "service=\"user\",status=\"2xx\",tenant=\"_none\"}");
  }

  private String userOf(String tenant) throws Exception {
    HttpResponse<String> r = send("POST", Kind.USER, "/users", tenant, "{\"name\":\"Ann\",\"email\":\"ann@"
        + tenant + ".example\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    return json.readTree(r.body()).path("id").asText();
  }

  private HttpResponse<String> metrics(Kind kind) throws Exception {
    return send("GET", kind, "/metrics", null, null);
  }

  private HttpResponse<String> send(String method, Kind kind, String path, String tenant, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(bases.get(kind).resolve(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (tenant != null) {
      b.header(Headers.TENANT_ID, tenant);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of the Prometheus samples {@code name} whose labels include every one of {@code labels}. */
  static double sample(String scrape, String name, String... labels) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String head = line.substring(0, line.lastIndexOf(' '));
      boolean all = true;
      for (String l : labels) {
        all &= head.contains(l);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
