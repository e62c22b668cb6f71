package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on every endpoint that takes a body or a name: always a 4xx problem+json with a stable type
 * and, where one field is to blame, that field; never a 500, and nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  /** An endpoint with a body: how to build a body with a given name, and a bad enum value for it. */
  record Endpoint(String method, String path, String nameField, String validName, Function<Object, Map<String, Object>> withName,
      Map<String, Object> badEnum, String enumField) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<String> HOSTILE_NAMES = List.of("../../etc/passwd", "..", "ünïcödé", "名前", "a\u0000b", "line\nbreak",
      "x'; DROP TABLE tenants;--", "\" OR 1=1 --", "UPPER", "-leading", "trailing-", "a".repeat(64), "", " ",
      "%2e%2e%2f", "<script>");

  @TempDir
  static Path dataDir;
  ServerFixture f;
  List<Endpoint> endpoints;

  @BeforeAll
  void start() {
    f = ServerFixture.start(dataDir);
    f.namespace("shop");
    f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme")).expect(201);
    f.admin().put(ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1"), Map.of("id", "o-1", "host", "10.0.0.1", "port", 8080));
    endpoints = List.of(
        new Endpoint("POST", ApiPaths.NAMESPACES, "name", "valid", n -> map("name", n, "description", "d"),
            Map.of("name", "ok", "description", List.of("not", "text")), "description"),
        new Endpoint("PUT", ApiPaths.expand(ApiPaths.NAMESPACE, "shop"), "name", "shop", n -> map("name", n),
            Map.of("name", "shop", "description", 7), "description"),
        new Endpoint("POST", ApiPaths.expand(ApiPaths.TENANTS, "shop"), "id", "valid", n -> map("id", n, "tier", "premium"),
            Map.of("id", "newco", "status", "paused"), "status"),
        new Endpoint("PUT", ApiPaths.expand(ApiPaths.TENANT, "shop", "acme"), "id", "acme", n -> map("id", n),
            Map.of("id", "acme", "isolation", "shared"), "isolation"),
        new Endpoint("POST", ApiPaths.expand(ApiPaths.KEYS, "shop"), "name", "valid", n -> map("name", n, "role", "viewer"),
            Map.of("name", "k", "role", "god"), "role"),
        new Endpoint("PUT", ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1"), "id", "o-1",
            n -> map("id", n, "host", "10.0.0.1", "port", 8080),
            Map.of("id", "o-1", "host", "10.0.0.1", "port", 8080, "status", "SLEEPING"), "status"),
        new Endpoint("PUT", ApiPaths.expand(ApiPaths.INSTANCE_STATUS, "shop", "order", "o-1"), "status", "UP", n -> map("status", n),
            Map.of("status", "up"), "status"),
        new Endpoint("POST", ApiPaths.expand(ApiPaths.HEARTBEATS, "shop"), "service", "order",
            n -> map("instances", List.of(map("service", n, "id", "o-1"))),
            Map.of("instances", "all"), "instances"));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  @Test
  void malformedOrMissingBodies_answer400() {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("truncated", "{\"name\":");
    bodies.put("not an object", "[1,2,3]");
    bodies.put("null", "null");
    bodies.put("a string", "\"hello\"");
    bodies.put("trailing garbage", "{} {}");
    bodies.put("deep nesting", "[".repeat(200) + "]".repeat(200));
    bodies.put("empty", "");
    bodies.put("invalid utf-8 escape", "{\"name\":\"\\uZZZZ\"}");
    for (Endpoint e : endpoints) {
      bodies.forEach((what, body) -> expectProblem(e + " with " + what, f.admin().send(e.method(), e.path(), body, "application/json"), 400));
      expectProblem(e + " without body", f.admin().send(e.method(), e.path(), null, null), 400);
    }
  }

  @Test
  void unknownFieldsAndWrongTypes_answer400NamingTheField() {
    for (Endpoint e : endpoints) {
      Map<String, Object> unknown = new LinkedHashMap<>(e.withName().apply(e.validName()));
      unknown.put("sneaky", true);
      assertField(e + " unknown field", send(e, unknown), "sneaky");

      assertField(e + " number for a name", send(e, e.withName().apply(12345)), e.nameField());
      assertField(e + " object for a name", send(e, e.withName().apply(Map.of("a", 1))), e.nameField());
      assertField(e + " bad enum or type", send(e, e.badEnum()), e.enumField());
    }
  }

  @Test
  void hostileAndTooLongNames_answer400NamingTheField() {
    for (Endpoint e : endpoints) {
      for (String name : HOSTILE_NAMES) {
        assertField(e + " name " + name.replace("\u0000", "\\0"), send(e, e.withName().apply(name)), e.nameField());
      }
    }
    assertField("too long description",
        f.admin().post(ApiPaths.NAMESPACES, Map.of("name", "long", "description", "d".repeat(1025))), "description");
    assertField("too many labels", f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"),
        Map.of("id", "many", "labels", manyLabels(33))), "labels");
    assertField("label of wrong type", f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"),
        Map.of("id", "typed", "labels", Map.of("k", 1))), "labels.k");
    assertField("port out of range", f.admin().put(ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-2"),
        Map.of("id", "o-2", "host", "h", "port", 70000)), "port");
    assertField("port as string", f.admin().put(ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-2"),
        Map.of("id", "o-2", "host", "h", "port", "8080")), "port");
  }

  @Test
  void oversizedBodies_answer413_andOtherMediaTypes415() {
    for (Endpoint e : endpoints) {
      expectProblem(e + " oversized", f.raw(e.method(), e.path(), ServerFixture.ADMIN_KEY, 70_000), 413);
      expectProblem(e + " as text", f.admin().send(e.method(), e.path(), "{}", "text/plain"), 415);
      expectProblem(e + " as form", f.admin().send(e.method(), e.path(), "name=x", "application/x-www-form-urlencoded"), 415);
    }
  }

  @Test
  void hostilePathParameters_answer4xx() {
    List<String> segments = List.of("..%2F..%2Fetc", "%00", "%C3%BC", "x'%20OR%201=1", "UPPER", "a".repeat(300), "%0A", "-");
    List<String> templates = f.server().routes().stream().filter(r -> r.contains("{")).toList();
    for (String route : templates) {
      String method = route.substring(0, route.indexOf(' '));
      String template = route.substring(route.indexOf(' ') + 1);
      for (String bad : segments) {
        String path = template.replaceAll("\\{[a-z]+}", bad);
        // A connection of its own: the server may close it after refusing a malformed request line.
        ServerFixture.Response r = f.raw(method, path, ServerFixture.ADMIN_KEY, 0);
        assertThat(r.status()).as(method + " " + path).isBetween(400, 499);
        assertThat(r.contentType()).as(method + " " + path).startsWith("application/problem+json");
      }
    }
  }

  @Test
  void nothingWasStoredByBadInput() {
    hostileAndTooLongNames_answer400NamingTheField();

    assertThat(f.admin().get(ApiPaths.NAMESPACES).json().path("items")).extracting(n -> n.path("name").asText())
        .containsExactly("shop");
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.TENANTS, "shop")).json().path("items"))
        .extracting(n -> n.path("id").asText()).containsExactly("acme");
  }

  @Test
  void chunkedBodies_areJudgedAsSizedOnes() throws Exception {
    String instance = ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1");
    String valid = "{\"id\":\"o-1\",\"host\":\"10.0.0.1\",\"port\":8080}";

    assertThat(chunked("PUT", instance, valid).statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = chunked("PUT", instance, valid.replace("}", ",\"sneaky\":1}"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"field\":\"sneaky\"");
    assertThat(chunked("PUT", instance, "{\"id\":\"" + "x".repeat(70_000) + "\"}").statusCode()).isEqualTo(413);
  }

  /** {@code body} sent in chunks (no Content-Length), as a client streaming it would. */
  private HttpResponse<String> chunked(String method, String path, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest r = HttpRequest.newBuilder(f.baseUri().resolve(path))
        .header("Authorization", "Bearer " + ServerFixture.ADMIN_KEY).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes)))
        .build();
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(r, HttpResponse.BodyHandlers.ofString());
  }

  private ServerFixture.Response send(Endpoint e, Map<String, Object> body) {
    return f.admin().send(e.method(), e.path(), ServerFixture.toJson(body), "application/json");
  }

  private static JsonNode expectProblem(String what, ServerFixture.Response r, int status) {
    assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(status);
    assertThat(r.contentType()).as(what).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.path("type").asText()).as(what).startsWith("https://tenantry.io/problems/");
    assertThat(p.path("status").asInt()).as(what).isEqualTo(status);
    assertThat(r.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    return p;
  }

  private static void assertField(String what, ServerFixture.Response r, String field) {
    JsonNode p = expectProblem(what, r, 400);
    assertThat(p.path("type").asText()).as(what).endsWith("/invalid-input");
    assertThat(p.path("field").asText()).as(what + ": " + r.body()).contains(field);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, String> manyLabels(int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, "v");
    }
    return m;
  }

}
