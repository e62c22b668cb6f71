package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.ApiPaths;
import io.tenantry.server.alert.InMemoryStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts over real HTTP with the in-process server: a rule written as a policy fires on the statistics, its
 * webhook (a receiver that fails at first) gets the event after retries, the API shows it active and in the
 * history, across a restart, until it resolves; rights and bad input.
 */
class AlertIT {
  static final String SECRET = "alert-it-secret-0123456789";

  @TempDir
  Path dataDir;
  final InMemoryStats stats = new InMemoryStats(Clock.systemUTC());
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  HttpServer receiver;
  ServerFixture f;
  ServerFixture.Client operator;
  ServerFixture.Client viewer;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // the first two requests fail: the event must arrive through retries
      int status = requests.incrementAndGet() <= 2 ? 503 : 200;
      if (status == 200) {
        received.add(ServerFixture.JSON.readTree(body));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    f = ServerFixture.start(ServerFixture.config(dataDir).alertInterval(Duration.ofMillis(100))
        .alertWebhookBackoff(Duration.ofMillis(50)).alertWebhookSecret(SECRET)
        .alertWebhookNetworks("private").build(), stats); // the receivers listen on loopback
    f.namespace("shop");
    f.namespace("other");
    operator = f.as(f.key("shop", "operator"));
    viewer = f.as(f.key("shop", "viewer"));
  }

  @AfterEach
  void stop() {
    f.close();
    receiver.stop(0);
  }

  static String alerts(String ns) {
    return ApiPaths.expand(ApiPaths.NAMESPACE, ns) + "/alerts";
  }

  static String history(String ns) {
    return alerts(ns) + "/history";
  }

  String policyBody() {
    return ("{'service':'payment','spec':{'rules':[{'name':'payment-errors','metric':'error-rate','above':0.1,"
        + "'window':'10m','minCalls':5,'tenant':'*','severity':'critical'}],"
        + "'notifiers':[{'url':'http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook'}]}}").replace('\'', '"');
  }

  @Test
  void aRuleFires_itsWebhookGetsTheEventAfterRetries_theApiShowsIt_acrossARestart_untilItResolves() {
    operator.send("PUT", ApiPaths.expand(ApiPaths.POLICY, "shop", "alert", "payment"), policyBody(),
        "application/json").expect(201);
    stats.record("shop", "payment", "acme", 20, 10, 0, 5);
    stats.record("shop", "payment", "globex", 50, 0, 0, 5);

    await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
    JsonNode firing = received.get(0);
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    assertThat(firing.path("alerts").path(0).path("labels").path("tenant").asText()).isEqualTo("acme");
    assertThat(firing.path("externalURL").asText()).isEqualTo(f.baseUri().toString());
    assertThat(requests.get()).isEqualTo(3);

    JsonNode active = viewer.get(alerts("shop")).expect(200).json().path("items");
    assertThat(active).hasSize(1);
    assertThat(active.path(0).path("state").asText()).isEqualTo("firing");
    assertThat(active.path(0).path("tenant").asText()).isEqualTo("acme");
    assertThat(active.path(0).path("value").asDouble()).isEqualTo(0.5);
    long eventId = active.path(0).path("eventId").asLong();
    assertThat(viewer.get(alerts("shop") + "?tenant=globex").expect(200).json().path("items")).isEmpty();
    assertThat(viewer.get(alerts("shop") + "?severity=critical&service=payment").expect(200).json().path("items")).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        viewer.get(history("shop")).json().path("items").path(0).path("deliveries").path(0).path("status").asText()
            .equals("delivered"));
    JsonNode delivered = viewer.get(history("shop")).json().path("items").path(0);
    assertThat(delivered.path("id").asLong()).isEqualTo(eventId);
    assertThat(delivered.path("deliveries").path(0).path("attempts").asInt()).isEqualTo(3);

    f.restart();
    assertThat(viewer.get(alerts("shop")).expect(200).json().path("items").path(0).path("eventId").asLong())
        .as("the firing alert is taken back from the store").isEqualTo(eventId);

    stats.record("shop", "payment", "acme", 500, 0, 0, 5); // 10 of 520 calls failed: under 10 %
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
    assertThat(received.get(1).path("status").asText()).isEqualTo("resolved");
    assertThat(viewer.get(alerts("shop")).expect(200).json().path("items")).isEmpty();
    JsonNode events = viewer.get(history("shop")).expect(200).json().path("items");
    assertThat(events).extracting(e -> e.path("state").asText()).containsExactly("resolved", "firing");
    assertThat(viewer.get(history("shop") + "?state=firing").json().path("items")).hasSize(1);
    JsonNode page = viewer.get(history("shop") + "?limit=1").json();
    assertThat(page.path("items")).hasSize(1);
    assertThat(viewer.get(history("shop") + "?limit=1&before=" + page.path("next").asLong()).json().path("items")
        .path(0).path("id").asLong()).isEqualTo(eventId);
  }

  @Test
  void aRuleForEachInstanceFiresForTheFailingOneOnly_itsInstanceInTheWebhookAndTheApi() {
    String eachInstance = policyBody().replace("\"tenant\":\"*\"", "\"instance\":\"*\"")
        .replace("\"above\":0.1", "\"above\":0.5");
    operator.send("PUT", ApiPaths.expand(ApiPaths.POLICY, "shop", "alert", "payment"), eachInstance, "application/json")
        .expect(201);
    stats.recordBy("shop", "payment", "payment-1", "acme", 200, 4, 0, 5);
    stats.recordBy("shop", "payment", "payment-2", "acme", 8, 6, 0, 5); // 3 % of the service's calls failed

    await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
    JsonNode labels = received.get(0).path("alerts").path(0).path("labels");
    assertThat(labels.path("instance").asText()).isEqualTo("payment-2");
    assertThat(labels.has("tenant")).isFalse();
    assertThat(received.get(0).path("alerts").path(0).path("annotations").path("summary").asText())
        .startsWith("payment-errors on payment instance payment-2: error-rate 0.75 > 0.5");

    JsonNode active = viewer.get(alerts("shop")).expect(200).json().path("items");
    assertThat(active).extracting(a -> a.path("instance").asText()).containsExactly("payment-2");
    assertThat(active.path(0).has("tenant")).isFalse();
    assertThat(viewer.get(alerts("shop") + "?instance=payment-2").expect(200).json().path("items")).hasSize(1);
    assertThat(viewer.get(alerts("shop") + "?instance=payment-1").expect(200).json().path("items")).isEmpty();
    JsonNode events = viewer.get(history("shop") + "?instance=payment-2").expect(200).json().path("items");
    assertThat(events).extracting(e -> e.path("instance").asText()).containsExactly("payment-2");
    assertThat(viewer.get(history("shop") + "?instance=payment-1").expect(200).json().path("items")).isEmpty();
  }

  @Test
  void anotherNamespacesTokenIsRefused_andAnonymousToo() {
    String otherViewer = f.key("other", "viewer");

    assertThat(f.as(otherViewer).get(alerts("shop")).status()).isEqualTo(404);
    assertThat(f.as(otherViewer).get(history("shop")).status()).isEqualTo(404);
    assertThat(f.anonymous().get(alerts("shop")).status()).isEqualTo(401);
    assertThat(f.as(otherViewer).get(alerts("other")).expect(200).json().path("items")).isEmpty();
    assertThat(f.admin().get(alerts("nowhere")).status()).isEqualTo(404);
  }

  @Test
  void badQueriesAndHostileRulesAreRefusedNamingTheField() {
    Map<String, String> bad = Map.of(
        alerts("shop") + "?severity=page", "severity",
        alerts("shop") + "?tenant=Not_A_Name", "tenant",
        history("shop") + "?limit=0", "limit",
        history("shop") + "?limit=501", "limit",
        history("shop") + "?limit=99999999999999999999", "limit",
        history("shop") + "?before=-1", "before",
        history("shop") + "?state=open", "state",
        history("shop") + "?rule=" + "r".repeat(100), "rule",
        alerts("shop") + "?instance=-payment-2", "instance",
        history("shop") + "?instance=" + "i".repeat(129), "instance");
    bad.forEach((path, field) -> {
      ServerFixture.Response r = viewer.get(path);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().path("field").asText()).as(path).isEqualTo(field);
    });

    String policy = ApiPaths.expand(ApiPaths.POLICY, "shop", "alert", "bad");
    ServerFixture.Response userInfo = operator.send("PUT", policy, policyBody().replace("http://127.0.0.1",
        "http://user:pw@127.0.0.1"), "application/json");
    assertThat(userInfo.status()).isEqualTo(400);
    assertThat(userInfo.json().path("field").asText()).isEqualTo("spec.notifiers[0].url");
    ServerFixture.Response infinite = operator.send("PUT", policy, policyBody().replace("0.1", "1e999"), "application/json");
    assertThat(infinite.status()).isEqualTo(400);
    assertThat(infinite.json().path("field").asText()).startsWith("spec.rules[0].above");
    ServerFixture.Response badInstance = operator.send("PUT", policy, policyBody().replace("\"tenant\":\"*\"",
        "\"instance\":\"payment 2\""), "application/json");
    assertThat(badInstance.status()).isEqualTo(400);
    assertThat(badInstance.json().path("field").asText()).isEqualTo("spec.rules[0].instance");
    assertThat(viewer.send("PUT", policy, policyBody(), "application/json").status()).isEqualTo(403);
    assertThat(f.admin().get(policy).status()).as("nothing refused was stored").isEqualTo(404);
  }
}
