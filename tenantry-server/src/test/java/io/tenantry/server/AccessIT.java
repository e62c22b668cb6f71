package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.server.http.HttpApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, roles, namespace isolation and key revocation with real keys over real HTTP. */
class AccessIT {
  @TempDir
  Path dataDir;
  ServerFixture f;

  @BeforeEach
  void start() {
    f = ServerFixture.start(dataDir);
    f.namespace("alpha");
    f.namespace("beta");
    f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "beta"), Map.of("id", "acme")).expect(201);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void everyRouteOfAnotherNamespace_answers404() {
    String alphaAdmin = f.key("alpha", "namespace-admin");
    String betaKeyId = f.admin().post(ApiPaths.expand(ApiPaths.KEYS, "beta"), Map.of("name", "svc"))
        .expect(201).json().path("key").path("id").asText();
    // alpha's ingest key on beta's ingest URL
    String alphaIngest = f.key("alpha", "ingest");
    // a transaction of beta's
    String betaXid = f.admin().post(ApiPaths.expand(ApiPaths.TRANSACTIONS, "beta"), Map.of("tenant", "acme"))
        .expect(201).json().path("xid").asText();
    Map<String, String> beta = Map.ofEntries(Map.entry("namespace", "beta"), Map.entry("tenant", "acme"),
        Map.entry("key", betaKeyId), Map.entry("service", "order"), Map.entry("instance", "order-1"),
        Map.entry("kind", "route"), Map.entry("name", "canary"), Map.entry("ingestKey", alphaIngest),
        Map.entry("xid", betaXid));

    List<String> routes = f.server().routes().stream().filter(r -> r.contains("{namespace}")).toList();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(10);
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = fill(route.substring(route.indexOf(' ') + 1), beta);
      String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
      ServerFixture.Response r = f.as(alphaAdmin).send(method, path, body, body == null ? null : "application/json");

      assertThat(r.status()).as(route).isEqualTo(404);
      assertThat(r.contentType()).as(route).startsWith("application/problem+json");
    }
    // Nothing of beta changed.
    f.admin().get(ApiPaths.expand(ApiPaths.TENANT, "beta", "acme")).expect(200);
    f.admin().get(ApiPaths.expand(ApiPaths.NAMESPACE, "beta")).expect(200);
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.TRANSACTION, "beta", betaXid)).expect(200).json()
        .path("state").asText()).isEqualTo("active");
  }

  @Test
  void namespaceList_showsOnlyTheKeysOwnNamespace() {
    String viewer = f.key("alpha", "viewer");

    JsonNode items = f.as(viewer).get(ApiPaths.NAMESPACES).expect(200).json().path("items");
    assertThat(items).extracting(n -> n.path("name").asText()).containsExactly("alpha");
    assertThat(f.admin().get(ApiPaths.NAMESPACES).expect(200).json().path("items"))
        .extracting(n -> n.path("name").asText()).containsExactly("alpha", "beta");
  }

  @Test
  void missingUnknownOrMalformedCredentials_answer401() {
    assertThat(f.anonymous().get(ApiPaths.NAMESPACES).status()).isEqualTo(401);
    assertThat(f.as("tnt_0123456789abcdef_notarealsecret").get(ApiPaths.NAMESPACES).status()).isEqualTo(401);
    assertThat(f.as("x".repeat(5000)).get(ApiPaths.NAMESPACES).status()).isEqualTo(401);
    // everything under the API's base path needs credentials, known route or not; the base itself is no route
    for (String path : List.of(ApiPaths.BASE + "/", ApiPaths.BASE + "/nothing", ApiPaths.BASE + "//namespaces",
        ApiPaths.NAMESPACES + "/", HttpApp.OPENAPI + "/")) {
      assertThat(f.anonymous().get(path).status()).as(path).isEqualTo(401);
    }
    for (String path : List.of(ApiPaths.BASE, ApiPaths.BASE + "x", ApiPaths.BASE.toUpperCase(Locale.ROOT))) {
      assertThat(f.anonymous().get(path).status()).as(path).isEqualTo(404);
    }
    ServerFixture.Response basic = f.anonymous().send("GET", ApiPaths.NAMESPACES, null, null);
    assertThat(basic.json().path("type").asText()).endsWith("/unauthorized");
  }

  @Test
  void roles_allowWhatTheyShouldAndNoMore() {
    String tenants = ApiPaths.expand(ApiPaths.TENANTS, "alpha");
    String tenant = ApiPaths.expand(ApiPaths.TENANT, "alpha", "globex");
    String keys = ApiPaths.expand(ApiPaths.KEYS, "alpha");
    Map<String, Object> globex = Map.of("id", "globex", "tier", "standard");
    String viewer = f.key("alpha", "viewer");
    String service = f.key("alpha", "service");
    String operator = f.key("alpha", "operator");
    String nsAdmin = f.key("alpha", "namespace-admin");

    // Creating a tenant is for namespace admins.
    f.as(viewer).post(tenants, globex).expect(403);
    f.as(service).post(tenants, globex).expect(403);
    f.as(operator).post(tenants, globex).expect(403);
    f.as(nsAdmin).post(tenants, globex).expect(201);
    // Reading is for everyone of the namespace.
    f.as(viewer).get(tenant).expect(200);
    f.as(service).get(tenants).expect(200);
    // Updating a tenant is for operators and above.
    Map<String, Object> suspended = Map.of("id", "globex", "status", "suspended");
    f.as(viewer).put(tenant, suspended).expect(403);
    f.as(service).put(tenant, suspended).expect(403);
    assertThat(f.as(operator).put(tenant, suspended).expect(200).json().path("status").asText()).isEqualTo("suspended");
    // Deleting a tenant, and keys, are for namespace admins.
    f.as(operator).delete(tenant).expect(403);
    f.as(operator).get(keys).expect(403);
    f.as(service).post(keys, Map.of("name", "more")).expect(403);
    f.as(nsAdmin).get(keys).expect(200);
    f.as(nsAdmin).delete(tenant).expect(204);
    f.as(nsAdmin).get(tenant).expect(404);
    // Namespaces themselves are for platform admins.
    f.as(nsAdmin).post(ApiPaths.NAMESPACES, Map.of("name", "gamma")).expect(403);
    f.as(nsAdmin).delete(ApiPaths.expand(ApiPaths.NAMESPACE, "alpha")).expect(403);
    f.as(nsAdmin).put(ApiPaths.expand(ApiPaths.NAMESPACE, "alpha"), Map.of("name", "alpha", "description", "ours")).expect(200);
    f.as(operator).put(ApiPaths.expand(ApiPaths.NAMESPACE, "alpha"), Map.of("name", "alpha")).expect(403);
  }

  @Test
  void keys_areListedWithoutSecretsAndCannotBePlatformAdmin() {
    String keys = ApiPaths.expand(ApiPaths.KEYS, "alpha");
    JsonNode created = f.admin().post(keys, Map.of("name", "order", "role", "service")).expect(201).json();
    String secret = created.path("secret").asText();
    assertThat(secret).startsWith("tnt_" + created.path("key").path("id").asText() + "_");
    assertThat(secret.length()).isGreaterThanOrEqualTo(4 + 16 + 1 + 43);

    ServerFixture.Response list = f.admin().get(keys).expect(200);
    assertThat(list.body()).doesNotContain(secret.substring(22)).doesNotContain("secret").doesNotContain("hash");
    assertThat(list.json().path("items")).hasSize(1);

    ServerFixture.Response platform = f.admin().post(keys, Map.of("name", "root", "role", "platform-admin")).expect(400);
    assertThat(platform.json().path("field").asText()).isEqualTo("role");
  }

  @Test
  void revokedKey_stopsWorkingAtOnce() {
    JsonNode created = f.admin().post(ApiPaths.expand(ApiPaths.KEYS, "alpha"), Map.of("name", "svc")).expect(201).json();
    String token = created.path("secret").asText();
    String id = created.path("key").path("id").asText();
    f.as(token).get(ApiPaths.expand(ApiPaths.TENANTS, "alpha")).expect(200);

    f.admin().delete(ApiPaths.expand(ApiPaths.KEY, "alpha", id)).expect(204);

    f.as(token).get(ApiPaths.expand(ApiPaths.TENANTS, "alpha")).expect(401);
    f.admin().delete(ApiPaths.expand(ApiPaths.KEY, "alpha", id)).expect(404);
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.KEYS, "alpha")).json().path("items").get(0).path("revoked").asBoolean())
        .isTrue();
  }

  @Test
  void deletingANamespace_deletesItsTenantsAndKeys() {
    String betaAdmin = f.key("beta", "namespace-admin");
    f.as(betaAdmin).get(ApiPaths.expand(ApiPaths.TENANTS, "beta")).expect(200);

    f.admin().delete(ApiPaths.expand(ApiPaths.NAMESPACE, "beta")).expect(204);

    f.as(betaAdmin).get(ApiPaths.expand(ApiPaths.TENANTS, "beta")).expect(401);
    f.admin().get(ApiPaths.expand(ApiPaths.TENANT, "beta", "acme")).expect(404);
    f.namespace("beta");
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.TENANTS, "beta")).json().path("items")).isEmpty();
  }

  @Test
  void unknownRoutesAndWrongMethods_answerProblems() {
    ServerFixture.Response unknown = f.admin().get(ApiPaths.BASE + "/nothing-here");
    ServerFixture.Response outside = f.anonymous().get("/favicon.ico");
    ServerFixture.Response wrongMethod = f.admin().send("PATCH", ApiPaths.expand(ApiPaths.NAMESPACE, "alpha"), "{}", "application/json");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("type").asText()).endsWith("/not-found");
    assertThat(outside.status()).isEqualTo(404);
    assertThat(outside.contentType()).startsWith("application/problem+json");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().path("type").asText()).endsWith("/method-not-allowed");
  }

  @Test
  void healthMetricsAndDocument_areAnonymous() {
    assertThat(f.anonymous().get(ApiPaths.HEALTH).expect(200).json().path("status").asText()).isEqualTo("UP");
    f.anonymous().get(ApiPaths.NAMESPACES);
    assertThat(f.anonymous().get(ApiPaths.METRICS).expect(200).body()).contains("tenantry_http_requests_seconds_count");
    f.anonymous().get("/api/v1/openapi.yaml").expect(200);
  }

  private static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace("{" + e.getKey() + "}", e.getValue());
    }
    return out;
  }
}
