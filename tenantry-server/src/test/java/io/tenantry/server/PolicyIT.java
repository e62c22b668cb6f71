package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy control plane over real HTTP: writes, versions, history, rollback, rules, rights and watch. */
class PolicyIT {
  static final String LIMIT = "{'service':'order','spec':{'limits':[{'name':'per-tenant','rate':%d}]}}";
  static final String ROUTE = "{'service':'%s','spec':{'rules':[{'name':'canary','destinations':[{'subset':{'version':'v2'},'weight':10},{'subset':{'version':'v1'},'weight':90}]}]}}";

  @TempDir
  Path dataDir;
  ServerFixture f;
  ServerFixture.Client operator;
  String operatorId;

  @BeforeEach
  void start() {
    f = ServerFixture.start(dataDir);
    f.namespace("shop");
    String token = f.key("shop", "operator");
    operator = f.as(token);
    operatorId = token.substring("tnt_".length(), token.indexOf('_', "tnt_".length()));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static String policy(String ns, String kind, String name) {
    return ApiPaths.expand(ApiPaths.POLICY, ns, kind, name);
  }

  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  ServerFixture.Response put(ServerFixture.Client as, String path, String body, String... headers) {
    return as.send("PUT", path, json(body), "application/json", headerMap(headers));
  }

  static Map<String, String> headerMap(String... nameValue) {
    return nameValue.length == 0 ? Map.of() : Map.of(nameValue[0], nameValue[1]);
  }

  static String limit(int rate) {
    return String.format(LIMIT, rate);
  }

  @Test
  void put_createsReplacesAndDeletes_withVersionsAndAuthor() {
    String flood = policy("shop", "rate-limit", "flood");

    ServerFixture.Response created = put(operator, flood, limit(10)).expect(201);
    assertThat(created.headers().get("location")).containsExactly(flood);
    assertThat(created.headers().get("etag")).containsExactly("\"1\"");
    JsonNode v1 = created.json();
    assertThat(v1.path("namespace").asText()).isEqualTo("shop");
    assertThat(v1.path("kind").asText()).isEqualTo("rate-limit");
    assertThat(v1.path("name").asText()).isEqualTo("flood");
    assertThat(v1.path("service").asText()).isEqualTo("order");
    assertThat(v1.path("version").asLong()).isEqualTo(1);
    assertThat(v1.path("updatedBy").asText()).isEqualTo(operatorId);
    assertThat(v1.path("spec").path("limits").path(0).path("rate").asInt()).isEqualTo(10);

    JsonNode v2 = put(operator, flood, limit(20)).expect(200).json();
    assertThat(v2.path("version").asLong()).isEqualTo(2);
    assertThat(v2.path("revision").asLong()).isGreaterThan(v1.path("revision").asLong());

    JsonNode same = put(f.admin(), flood, limit(20)).expect(200).json();
    assertThat(same).as("an identical write is a no-op").isEqualTo(v2);

    ServerFixture.Response got = f.admin().get(flood).expect(200);
    assertThat(got.json()).isEqualTo(v2);
    assertThat(got.headers().get("etag")).containsExactly("\"2\"");

    operator.delete(flood).expect(204);
    f.admin().get(flood).expect(404);
    operator.delete(flood).expect(404);
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.POLICIES, "shop")).expect(200).json().path("items")).isEmpty();
  }

  @Test
  void dryRunAndDescription_roundTrip() {
    String flood = policy("shop", "rate-limit", "flood");
    put(operator, flood, "{'service':'*','dryRun':true,'description':'try first ✓','spec':{'limits':[{'name':'t','rate':5}]}}")
        .expect(201);

    JsonNode got = f.admin().get(flood).expect(200).json();
    assertThat(got.path("dryRun").asBoolean()).isTrue();
    assertThat(got.path("service").asText()).isEqualTo("*");
    assertThat(got.path("description").asText()).isEqualTo("try first ✓");

    JsonNode enforced = put(operator, flood, "{'service':'*','spec':{'limits':[{'name':'t','rate':5}]}}").expect(200).json();
    assertThat(enforced.path("dryRun").asBoolean()).as("absent means enforced").isFalse();
    assertThat(enforced.path("version").asLong()).isEqualTo(2);
  }

  @Test
  void list_filtersByKindAndService() {
    put(operator, policy("shop", "rate-limit", "a"), limit(1)).expect(201);
    put(operator, policy("shop", "route", "r"), String.format(ROUTE, "order")).expect(201);
    put(operator, policy("shop", "quota", "q"), "{'service':'payment','spec':{'quotas':[{'name':'d','limit':100}]}}").expect(201);
    String list = ApiPaths.expand(ApiPaths.POLICIES, "shop");

    JsonNode all = f.as(f.key("shop", "viewer")).get(list).expect(200).json();
    assertThat(all.path("revision").asLong()).isPositive();
    assertThat(keys(all)).containsExactly("quota/q", "rate-limit/a", "route/r");
    assertThat(keys(f.admin().get(list + "?kind=route").expect(200).json())).containsExactly("route/r");
    assertThat(keys(f.admin().get(list + "?service=order").expect(200).json())).containsExactly("rate-limit/a", "route/r");
    assertThat(keys(f.admin().get(list + "?kind=quota&service=order").expect(200).json())).isEmpty();
    assertField(f.admin().get(list + "?kind=limits"), "kind");
    assertField(f.admin().get(list + "?service=Order"), "service");
  }

  @Test
  void history_isNewestFirstAndPaged_andRollbackWritesANewVersion() {
    String flood = policy("shop", "rate-limit", "flood");
    put(operator, flood, limit(1)).expect(201);
    put(operator, flood, limit(2)).expect(200);

    JsonNode v3 = operator.post(flood + "/rollback", Map.of("version", 1)).expect(200).json();
    assertThat(v3.path("version").asLong()).isEqualTo(3);
    assertThat(v3.path("spec").path("limits").path(0).path("rate").asInt()).isEqualTo(1);
    assertThat(operator.post(flood + "/rollback", Map.of("version", 1)).expect(200).json())
        .as("rolling back to the current content is a no-op").isEqualTo(v3);

    JsonNode history = f.admin().get(flood + "/history").expect(200).json();
    assertThat(history.path("items")).extracting(e -> e.path("action").asText() + "@" + e.path("policy").path("version").asLong())
        .containsExactly("rolled-back@3", "updated@2", "created@1");
    assertThat(history.path("items").path(0).path("restoredVersion").asLong()).isEqualTo(1);
    assertThat(history.path("items").path(1).has("restoredVersion")).isFalse();
    assertThat(history.path("items").path(0).path("policy").path("updatedBy").asText()).isEqualTo(operatorId);
    assertThat(history.has("next")).isFalse();

    JsonNode page1 = f.admin().get(flood + "/history?limit=2").expect(200).json();
    assertThat(page1.path("items")).hasSize(2);
    assertThat(page1.path("next").asLong()).isEqualTo(2);
    JsonNode page2 = f.admin().get(flood + "/history?limit=2&before=2").expect(200).json();
    assertThat(page2.path("items")).extracting(e -> e.path("policy").path("version").asLong()).containsExactly(1L);
    assertThat(page2.has("next")).isFalse();
    assertField(f.admin().get(flood + "/history?limit=501"), "limit");
    assertField(f.admin().get(flood + "/history?limit=0"), "limit");
    assertField(f.admin().get(flood + "/history?before=x"), "before");

    operator.post(flood + "/rollback", Map.of("version", 9)).expect(404);
    assertField(operator.post(flood + "/rollback", Map.of("version", 0)), "version");
    assertField(operator.post(flood + "/rollback", Map.of()), "version");
    f.admin().get(policy("shop", "rate-limit", "never") + "/history").expect(404);
  }

  @Test
  void deletedPolicy_keepsItsHistory_andRollbackRestoresIt() {
    String flood = policy("shop", "rate-limit", "flood");
    put(operator, flood, limit(1)).expect(201);
    operator.delete(flood).expect(204);

    JsonNode history = f.admin().get(flood + "/history").expect(200).json();
    assertThat(history.path("items")).extracting(e -> e.path("action").asText() + "@" + e.path("policy").path("version").asLong())
        .containsExactly("deleted@2", "created@1");
    assertField(operator.post(flood + "/rollback", Map.of("version", 2)), "version");

    JsonNode restored = operator.post(flood + "/rollback", Map.of("version", 1)).expect(200).json();
    assertThat(restored.path("version").asLong()).isEqualTo(3);
    f.admin().get(flood).expect(200);

    operator.delete(flood).expect(204);
    assertThat(put(operator, flood, limit(5)).expect(201).json().path("version").asLong())
        .as("versions are never reused").isEqualTo(5);
  }

  @Test
  void watch_deliversPolicyEvents() {
    ServerFixture.Watch watch = f.watch("shop", "kinds=policy");
    String flood = policy("shop", "rate-limit", "flood");

    put(operator, flood, limit(1)).expect(201);
    put(operator, flood, limit(2)).expect(200);
    put(operator, flood, limit(2)).expect(200);
    operator.delete(flood).expect(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> watch.changes().size() >= 3);
    List<JsonNode> events = watch.changes();
    assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED", "DELETED");
    assertThat(events).allSatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("policy"));
    assertThat(events).extracting(e -> e.path("object").path("version").asLong()).containsExactly(1L, 2L, 3L);
    assertThat(events.get(1).path("object").path("spec").path("limits").path(0).path("rate").asInt()).isEqualTo(2);
    assertThat(events.get(2).path("object").path("name").asText()).isEqualTo("flood");
    assertThat(events.get(2).path("reason").asText()).isEqualTo("deleted");
    assertThat(events.get(1).path("revision").asLong()).isEqualTo(events.get(1).path("object").path("revision").asLong());
  }

  @Test
  void badInput_answers400PointingAtTheField() {
    String flood = policy("shop", "rate-limit", "flood");
    assertField(operator.send("PUT", flood, "{\"service\":", "application/json"), null);
    assertField(put(operator, flood, "{'service':'order','servce':'x','spec':{}}"), "servce");
    assertField(put(operator, flood, "{'service':'order','spec':{'limits':[{'name':'t','rate':1,'brust':1}]}}"), "spec.limits[0].brust");
    assertField(put(operator, flood, "{'service':'order','spec':{'limits':[{'name':'t','rate':'10'}]}}"), "spec.limits[0].rate");
    assertField(put(operator, flood, "{'service':'order','spec':{'limits':[{'name':'t','rate':1,'period':'1 sec'}]}}"),
        "spec.limits[0].period");
    assertField(put(operator, policy("shop", "route", "r"),
        "{'service':'order','spec':{'rules':[{'name':'a','destinations':[{'weight':-1}]}]}}"), "spec.rules[0].destinations[0].weight");
    assertField(put(operator, flood, "{'service':'Order','spec':{}}"), "service");
    assertField(put(operator, flood, "{'service':'order','spec':[1]}"), "spec");
    assertField(put(operator, flood, "{'service':'order'}"), "spec");
    assertField(put(operator, flood, "{'service':'order','dryRun':'yes','spec':{}}"), "dryRun");
    assertField(put(operator, policy("shop", "limits", "flood"), limit(1)), "kind");
    assertField(put(operator, policy("shop", "rate-limit", "Flood_1"), limit(1)), "name");
    assertField(f.admin().get(policy("shop", "retry", "x")), "kind");
    assertField(put(operator, flood, limit(1), "If-Match", "W/\"x\""), "If-Match");
    ServerFixture.Response huge = f.raw("PUT", flood, ServerFixture.ADMIN_KEY, 70_000);
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.contentType()).startsWith("application/problem+json");
    f.admin().get(flood).expect(404);
  }

  @Test
  void onePerServiceKinds_refuseASecondPolicyForTheSameService() {
    put(operator, policy("shop", "route", "canary"), String.format(ROUTE, "order")).expect(201);

    ServerFixture.Response second = put(operator, policy("shop", "route", "blue-green"), String.format(ROUTE, "order"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().path("detail").asText()).contains("'canary'").contains("'order'");

    put(operator, policy("shop", "route", "canary"), String.format(ROUTE, "order").replace("10", "20")).expect(200);
    put(operator, policy("shop", "route", "blue-green"), String.format(ROUTE, "payment")).expect(201);
    put(operator, policy("shop", "route", "all-a"), String.format(ROUTE, "*")).expect(201);
    put(operator, policy("shop", "route", "all-b"), String.format(ROUTE, "*")).expect(201);
    put(operator, policy("shop", "resilience", "a"), "{'service':'order','spec':{'timeout':'2s'}}").expect(201);
    put(operator, policy("shop", "resilience", "b"), "{'service':'order','spec':{'timeout':'3s'}}").expect(409);
    put(operator, policy("shop", "rate-limit", "a"), limit(1)).expect(201);
    put(operator, policy("shop", "rate-limit", "b"), limit(2)).expect(201); // limits add up
  }

  @Test
  void concurrentWrites_keepTheRules() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> routes = new java.util.ArrayList<>();
      List<java.util.concurrent.Future<Integer>> limits = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String name = "r" + i;
        int rate = i + 1;
        routes.add(pool.submit(() -> put(operator, policy("shop", "route", name), String.format(ROUTE, "order")).status()));
        limits.add(pool.submit(() -> put(operator, policy("shop", "rate-limit", "flood"), limit(rate)).status()));
      }
      List<Integer> routeStatus = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> r : routes) {
        routeStatus.add(r.get());
      }
      List<Integer> limitStatus = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> l : limits) {
        limitStatus.add(l.get());
      }
      assertThat(routeStatus).as("one route policy per service").containsOnlyOnce(201).containsOnly(201, 409);
      assertThat(limitStatus).containsOnlyOnce(201).containsOnly(201, 200);
    } finally {
      pool.shutdown();
    }
    JsonNode history = f.admin().get(policy("shop", "rate-limit", "flood") + "/history").expect(200).json();
    assertThat(history.path("items")).extracting(e -> e.path("policy").path("version").asLong())
        .containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void ifMatch_guardsAgainstLostUpdates() {
    String flood = policy("shop", "rate-limit", "flood");
    put(operator, flood, limit(1), "If-Match", "\"1\"").expect(412);
    put(operator, flood, limit(1)).expect(201);

    assertThat(put(operator, flood, limit(2), "If-Match", "\"1\"").expect(200).json().path("version").asLong()).isEqualTo(2);
    ServerFixture.Response stale = put(operator, flood, limit(3), "If-Match", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().path("field").asText()).isEqualTo("If-Match");
    assertThat(f.admin().get(flood).json().path("version").asLong()).isEqualTo(2);
    operator.send("POST", flood + "/rollback", "{\"version\":1}", "application/json", Map.of("If-Match", "\"1\"")).expect(412);
    operator.send("DELETE", flood, null, null, Map.of("If-Match", "\"1\"")).expect(412);
    operator.send("DELETE", flood, null, null, Map.of("If-Match", "2")).expect(204);
  }

  @Test
  void rights_readToRead_operateToWrite_otherNamespacesInvisible() {
    String flood = policy("shop", "rate-limit", "flood");
    ServerFixture.Client viewer = f.as(f.key("shop", "viewer"));
    ServerFixture.Client service = f.as(f.key("shop", "service"));
    put(viewer, flood, limit(1)).expect(403);
    put(service, flood, limit(1)).expect(403);
    put(operator, flood, limit(1)).expect(201);
    viewer.get(flood).expect(200);
    viewer.get(flood + "/history").expect(200);
    service.get(ApiPaths.expand(ApiPaths.POLICIES, "shop")).expect(200);
    viewer.delete(flood).expect(403);
    viewer.post(flood + "/rollback", Map.of("version", 1)).expect(403);

    f.namespace("other");
    ServerFixture.Client outsider = f.as(f.key("other", "namespace-admin"));
    outsider.get(flood).expect(404);
    outsider.get(ApiPaths.expand(ApiPaths.POLICIES, "shop")).expect(404);
    put(outsider, flood, limit(9)).expect(404);
    outsider.delete(flood).expect(404);
    assertThat(f.admin().get(flood).json().path("version").asLong()).isEqualTo(1);
  }

  @Test
  void namespaceDeletion_takesPoliciesAndHistoryAlong() {
    String flood = policy("shop", "rate-limit", "flood");
    put(operator, flood, limit(1)).expect(201);

    f.admin().delete(ApiPaths.expand(ApiPaths.NAMESPACE, "shop")).expect(204);
    f.admin().get(flood).expect(404);
    f.namespace("shop");

    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.POLICIES, "shop")).expect(200).json().path("items")).isEmpty();
    f.admin().get(flood + "/history").expect(404);
    assertThat(put(f.admin(), flood, limit(1)).expect(201).json().path("version").asLong()).isEqualTo(1);
  }

  @Test
  void policies_surviveARestart() {
    String flood = policy("shop", "rate-limit", "flood");
    JsonNode written = put(operator, flood, limit(1)).expect(201).json();

    f.restart();

    assertThat(f.admin().get(flood).expect(200).json()).isEqualTo(written);
  }

  private static List<String> keys(JsonNode list) {
    return java.util.stream.StreamSupport.stream(list.path("items").spliterator(), false)
        .map(p -> p.path("kind").asText() + "/" + p.path("name").asText()).toList();
  }

  private static void assertField(ServerFixture.Response r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    if (field != null) {
      assertThat(r.json().path("field").asText()).as(r.body()).isEqualTo(field);
    }
  }
}
