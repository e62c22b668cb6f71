package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Json;
import io.tenantry.api.Problem;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.demo.service.Records.User;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/replicate} over real HTTP: only a caller with the service key as bearer token
 * may write into a tenant's store; a peer's {@link Replicator} sends it.
 */
class ReplicationAuthTest {
  private static final String KEY = "shop-service-key-0123456789";
  private static final String WRITE = "{\"kind\":\"user\",\"key\":\"u-9\",\"record\":"
      + "{\"id\":\"u-9\",\"name\":\"Mallory\",\"email\":\"m@evil.example\"}}";

  private final ObjectMapper json = Json.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Counters counters = new Counters();
  private UserResource users;
  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    Router router = new Router(json, counters);
    Replicator replicator = new Replicator(json, List::of, "user-2", null, KEY);
    users = new UserResource(() -> "1", counters, replicator, json);
    users.routes(router);
    replicator.route(router, users);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", router).getFilters().add(new TenantryHttpFilter());
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void replicate_withoutKey_is401Problem_andWritesNothing() throws Exception {
    assertUnauthorized(post(null));
    assertUnauthorized(post("Bearer wrong-key-0123456789"));
    assertUnauthorized(post(KEY)); // the key without the Bearer scheme
    assertUnauthorized(post("Bearer " + KEY + "x"));
    assertThatThrownBy(() -> users.find("acme", "u-9")).isInstanceOf(HttpProblem.class);
  }

  @Test
  void replicate_withServiceKey_isApplied() throws Exception {
    assertThat(post("Bearer " + KEY).statusCode()).isEqualTo(204);
    assertThat(users.find("acme", "u-9").name()).isEqualTo("Mallory");
  }

  @Test
  void aPeersReplicator_sendsTheKey_andAWrongKeyIsRefused() {
    Instance self = new Instance("shop", "user", "user-2", "127.0.0.1", server.getAddress().getPort(), "v1", "zone-a",
        100, InstanceStatus.UP, Map.of(), null, 8, 1);
    new Replicator(json, () -> List.of(self), "user-1", null, KEY)
        .replicate("acme", "user", "u-7", new User("u-7", "Ann", "ann@acme.example"));
    assertThat(users.find("acme", "u-7").email()).isEqualTo("ann@acme.example");

    new Replicator(json, () -> List.of(self), "user-1", null, "another-key-0123456789")
        .replicate("acme", "user", "u-8", new User("u-8", "Eve", "eve@acme.example"));
    assertThatThrownBy(() -> users.find("acme", "u-8"))
        .isInstanceOf(HttpProblem.class);
  }

  private void assertUnauthorized(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
    JsonNode problem = json.readTree(r.body());
    assertThat(problem.path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + "unauthorized");
    assertThat(problem.path("status").asInt()).isEqualTo(401);
  }

  private HttpResponse<String> post(String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Replicator.PATH))
        .POST(HttpRequest.BodyPublishers.ofString(WRITE))
        .header("Content-Type", "application/json")
        .header(Headers.TENANT_ID, "acme");
    if (authorization != null) {
      b.header(Headers.AUTHORIZATION, authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
