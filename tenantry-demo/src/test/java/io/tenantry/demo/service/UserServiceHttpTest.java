package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.Headers;
import io.tenantry.api.Json;
import io.tenantry.api.Problem;
import io.tenantry.client.TenantryHttpFilter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user service over real HTTP behind the SDK's inbound filter: tenants apart, bad input as problem+json. */
class UserServiceHttpTest {
  private final ObjectMapper json = Json.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Counters counters = new Counters();
  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    AtomicInteger ids = new AtomicInteger();
    Router router = new Router(json, counters);
    new UserResource(() -> String.valueOf(ids.incrementAndGet()), counters,
        new Replicator(json, List::of, "user-1", null, "test-service-key"), json).routes(router);
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
  void aTenantsUser_isInvisibleToAnotherTenant() throws Exception {
    HttpResponse<String> created = send("POST", "/users", "acme", "{\"name\":\"Ann\",\"email\":\"ann@acme.example\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = json.readTree(created.body()).path("id").asText();

    assertThat(send("GET", "/users/" + id, "acme", null).statusCode()).isEqualTo(200);
    HttpResponse<String> foreign = send("GET", "/users/" + id, "globex", null);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
    assertThat(counters.get("acme", "requests")).isEqualTo(2);
    assertThat(counters.get("globex", "requests")).isEqualTo(1);
  }

  @Test
  void noTenant_isA400() throws Exception {
    assertProblem(send("GET", "/users/u-1", null, null), 400, "tenant-required");
  }

  @Test
  void badInput_isA4xxProblem_neverA500() throws Exception {
    assertProblem(send("POST", "/users", "acme", "{not json"), 400, "invalid-body");
    assertProblem(send("POST", "/users", "acme", ""), 400, "invalid-body");
    assertProblem(send("POST", "/users", "acme", "null"), 400, "invalid-body");
    assertProblem(send("POST", "/users", "acme", "[]"), 400, "invalid-body");
    assertProblem(send("POST", "/users", "acme", "{\"name\":\"A\",\"email\":\"a@b\",\"tenant\":\"globex\"}"), 400,
        "invalid-body");
    JsonNode p = assertProblem(send("POST", "/users", "acme", "{\"name\":\"A\",\"email\":\"nope\"}"), 400, "invalid-request");
    assertThat(p.path("field").asText()).isEqualTo("email");
    assertProblem(send("POST", "/users", "acme", "{\"name\":\"" + "x".repeat(Router.MAX_BODY) + "\"}"), 413,
        "body-too-large");
    assertProblem(send("GET", "/users/%20bad%20id", "acme", null), 400, "invalid-request");
    assertProblem(send("DELETE", "/users/u-1", "acme", null), 405, "method-not-allowed");
    assertProblem(send("GET", "/nothing", "acme", null), 404, "not-found");
  }

  private JsonNode assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
    JsonNode problem = json.readTree(r.body());
    assertThat(problem.path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + type);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    return problem;
  }

  private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (tenant != null) {
      b.header(Headers.TENANT_ID, tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
