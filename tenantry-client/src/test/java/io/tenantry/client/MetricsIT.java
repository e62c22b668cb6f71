package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's meters and statistics over real HTTP: a {@code web} client calls instances of {@code order}, each
 * behind {@link TenantryHttpFilter} with a client of its own; both clients have a Prometheus registry and report
 * statistics to the in-process control plane every 200 ms.
 */
class MetricsIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;
  private final PrometheusMeterRegistry webMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusMeterRegistry orderMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CopyOnWriteArrayList<CallAttempt> attempts = new CopyOnWriteArrayList<>();
  private TenantryClient web;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "premium", "pooled", "active");
    cp.tenant("shop", "globex", "standard", "pooled", "active");
    cp.tenant("shop", "initech", "free", "pooled", "active");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private TenantryClient.Builder client(String service, PrometheusMeterRegistry meters) {
    return cp.client("shop", key, null).serviceName(service).meterRegistry(meters)
        .statsInterval(Duration.ofMillis(200));
  }

  private TestInstance order(String id, TenantryClient.Builder builder) throws Exception {
    TenantryClient own = cp.started(builder);
    TestInstance i = cp.track(new TestInstance(id, "v1", own));
    own.register("order", i.spec(null, 30));
    return i;
  }

  private void web(TenantryClient.Builder builder, int orders) {
    web = cp.started(builder);
    web.http().addObserver(attempts::add);
    await().atMost(Duration.ofSeconds(5)).until(() -> web.instances("order").size() == orders
        && web.tenant("initech").isPresent());
  }

  private HttpResponse<String> call(String tenant) throws Exception {
    try (TenantContext.Scope s = TenantContext.enter(tenant)) {
      return web.http().send(HttpRequest.newBuilder(URI.create("http://order/orders")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The value of the Prometheus sample {@code name} whose labels include every one of {@code labels}; 0 if none. */
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

  /** Every value of label {@code label} among the samples of {@code name}. */
  static Set<String> labelValues(String scrape, String name, String label) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("^" + name + "\\{[^}]*" + label + "=\"([^\"]*)\"", Pattern.MULTILINE).matcher(scrape);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void callsForTwoTenants_showInBothServicesMeters_withTheirTagsAndCounts() throws Exception {
    order("order-1", client("order", orderMeters));
    web(client("web", webMeters), 1);
    for (int i = 0; i < 3; i++) {
      assertThat(call("acme").statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(call("globex").statusCode()).isEqualTo(200);
    }

    String out = webMeters.scrape();
    assertThat(sample(out, "tenantry_client_attempts_seconds_count", "service=\"order\"", "method=\"GET\"",
        "tenant=\"acme\"", "outcome=\"success\"")).isEqualTo(3);
    assertThat(sample(out, "tenantry_client_calls_total", "tenant=\"globex\"", "outcome=\"success\"")).isEqualTo(2);
    assertThat(sample(out, "tenantry_client_retries_total")).isZero();
    // a histogram Prometheus reads with histogram_quantile
    assertThat(out).contains("tenantry_client_attempts_seconds_bucket{method=\"GET\",outcome=\"success\","
        + "service=\"order\",tenant=\"acme\",le=\"+Inf\"} 3");
    assertThat(out).contains("tenantry_client_breaker_state{service=\"order\",state=\"closed\"}");

    // the door counts a request when its handler returns, which may be just after the caller has the answer
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String in = orderMeters.scrape();
      assertThat(sample(in, "tenantry_door_requests_seconds_count", "service=\"order\"", "method=\"GET\"",
          "tenant=\"acme\"", "status=\"2xx\"")).isEqualTo(3);
      assertThat(sample(in, "tenantry_door_requests_seconds_count", "tenant=\"globex\"", "status=\"2xx\""))
          .isEqualTo(2);
    });
    String in = orderMeters.scrape();
    assertThat(in).contains("tenantry_door_requests_seconds_bucket{method=\"GET\",service=\"order\",status=\"2xx\","
        + "tenant=\"acme\",le=\"0.005\"}");
    assertThat(in).contains("tenantry_door_adaptive_limit{service=\"order\"}");
  }

  @Test
  void rejectionsAtTheDoor_areCountedByType_asTheCallerSawThem() throws Exception {
    order("order-1", client("order", orderMeters));
    web(client("web", webMeters), 1);
    cp.policy("shop", "rate-limit", "per-tenant", "order", false, "{'limits':[{'name':'per-tenant','rate':2,"
        + "'period':'1m'}]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> call("initech").statusCode() == 429);
    for (int i = 0; i < 5; i++) {
      call("initech");
    }
    long refused = attempts.stream().filter(a -> a.status() == 429).count();
    assertThat(refused).isGreaterThanOrEqualTo(6);

    String in = orderMeters.scrape();
    assertThat(sample(in, "tenantry_door_refusals_total", "service=\"order\"", "tenant=\"initech\"",
        "type=\"rate-limited\"")).isEqualTo(refused);
    assertThat(labelValues(in, "tenantry_door_refusals_total", "type")).containsExactly("rate-limited");
    // a 429 is the callee's answer: a success of the call, not retried
    assertThat(sample(webMeters.scrape(), "tenantry_client_calls_total", "tenant=\"initech\"",
        "outcome=\"success\"")).isEqualTo(attempts.size());
  }

  @Test
  void retries_areCounted_andTheFailedAttemptsTimed() throws Exception {
    order("order-1", client("order", orderMeters)).answer(503);
    order("order-2", cp.client("shop", key, null).serviceName("order"));
    web(client("web", webMeters), 2);
    for (int i = 0; i < 20; i++) {
      assertThat(call("acme").statusCode()).isEqualTo(200);
    }
    long retries = attempts.stream().filter(a -> a.attempt() > 1).count();
    long failed = attempts.stream().filter(a -> a.outcome() == CallOutcome.HTTP_ERROR).count();
    assertThat(retries).isPositive();

    String out = webMeters.scrape();
    assertThat(sample(out, "tenantry_client_retries_total", "service=\"order\"", "tenant=\"acme\"")).isEqualTo(retries);
    assertThat(sample(out, "tenantry_client_attempts_seconds_count", "outcome=\"http_error\"")).isEqualTo(failed);
    assertThat(sample(out, "tenantry_client_calls_total", "outcome=\"success\"")).isEqualTo(20);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sample(orderMeters.scrape(),
        "tenantry_door_requests_seconds_count", "status=\"5xx\"")).isEqualTo(failed));
  }

  @Test
  void breakerState_andEjections_areGauges() throws Exception {
    TestInstance sick = order("order-1", cp.client("shop", key, null).serviceName("order")).answer(503);
    TestInstance well = order("order-2", cp.client("shop", key, null).serviceName("order"));
    web(client("web", webMeters), 2);
    cp.policy("shop", "resilience", "order", "order", false, "{'outlierDetection':{'consecutiveFailures':3,"
        + "'baseEjection':'30s','maxEjectedPercent':50}}");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      call("acme");
      return sample(webMeters.scrape(), "tenantry_client_ejected", "service=\"order\"") == 1;
    });
    String out = webMeters.scrape();
    assertThat(sample(out, "tenantry_client_ejections_total", "service=\"order\"")).isEqualTo(1);
    assertThat(sick.count()).isGreaterThanOrEqualTo(3);

    cp.policy("shop", "resilience", "order", "order", false, "{'retry':{'maxAttempts':1},"
        + "'circuitBreaker':{'window':10,'minimumCalls':5,'failureRatePercent':50,'openFor':'30s'}}");
    well.answer(503); // every call fails now
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        call("acme");
      } catch (CallNotPermittedException e) {
        // the breaker is open
      }
      String now = webMeters.scrape();
      return sample(now, "tenantry_client_breaker_state", "service=\"order\"", "state=\"open\"") == 1
          && sample(now, "tenantry_client_breaker_state", "service=\"order\"", "state=\"closed\"") == 0;
    });
    assertThat(sample(webMeters.scrape(), "tenantry_client_breaker_refusals_total", "service=\"order\"")).isPositive();
  }

  @Test
  void tenantTags_areCapped_laterTenantsCountAsOther() throws Exception {
    order("order-1", client("order", orderMeters).meterTenantLimit(2));
    web(client("web", webMeters).meterTenantLimit(2), 1);
    for (String t : List.of("t1", "t2", "t3", "t4", "t5", "t1")) {
      assertThat(call(t).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String in = orderMeters.scrape();
      assertThat(labelValues(in, "tenantry_door_requests_seconds_count", "tenant"))
          .containsExactly("_other", "t1", "t2");
      assertThat(sample(in, "tenantry_door_requests_seconds_count", "tenant=\"_other\"")).isEqualTo(3);
      assertThat(sample(in, "tenantry_door_requests_seconds_count", "tenant=\"t1\"")).isEqualTo(2);
    });
    assertThat(labelValues(webMeters.scrape(), "tenantry_client_attempts_seconds_count", "tenant"))
        .containsExactly("_other", "t1", "t2");
  }

  @Test
  void statistics_reachTheControlPlane_whichShowsPerTenantRed() throws Exception {
    order("order-1", client("order", orderMeters));
    web(client("web", webMeters), 1);
    for (int i = 0; i < 4; i++) {
      call("acme");
    }
    call("globex");
    String viewer = cp.key("shop", "viewer");
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(cp.baseUri() + ApiPaths.expand(ApiPaths.STATS, "shop") + "?service=order&window=1m");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode page = Json.newMapper().readTree(http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofString()).body());
      JsonNode acme = null;
      for (JsonNode r : page.path("rows")) {
        if ("acme".equals(r.path("tenant").asText(null))) {
          acme = r;
        }
      }
      assertThat(acme).isNotNull();
      assertThat(acme.path("served").path("calls").asLong()).isEqualTo(4);
      assertThat(acme.path("called").path("calls").asLong()).isEqualTo(4);
      assertThat(acme.path("served").path("p50Millis").asDouble()).isPositive();
      assertThat(page.path("rows").get(0).path("served").path("calls").asLong()).isEqualTo(5);
    });
  }

  @Test
  void withoutARegistry_noMeters_butStatistics() throws Exception {
    order("order-1", cp.client("shop", key, null).serviceName("order").statsInterval(Duration.ofMillis(200)));
    web(cp.client("shop", key, null).serviceName("web").statsInterval(Duration.ZERO), 1);
    call("acme");
    assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.getMeters()).isEmpty(); // never the global one
    String viewer = cp.key("shop", "viewer");
    URI uri = URI.create(cp.baseUri() + ApiPaths.expand(ApiPaths.STATS, "shop") + "?window=1m");
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode rows = Json.newMapper().readTree(http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofString()).body())
          .path("rows");
      assertThat(rows).isNotEmpty();
      assertThat(rows.get(0).path("served").path("calls").asLong()).isEqualTo(1);
      assertThat(rows.get(0).path("called").path("calls").asLong()).isZero(); // web reports nothing
    });
  }

  @Test
  void closingTheClient_removesItsMeters_andReportsItsLastInterval() throws Exception {
    order("order-1", client("order", orderMeters));
    web(client("web", webMeters).statsInterval(Duration.ofHours(1)), 1); // no report but the last one
    call("acme");
    assertThat(webMeters.getMeters()).isNotEmpty();
    web.close();
    assertThat(webMeters.getMeters()).isEmpty();
    String viewer = cp.key("shop", "viewer");
    URI uri = URI.create(cp.baseUri() + ApiPaths.expand(ApiPaths.STATS, "shop") + "?service=order&tenant=acme");
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode rows = Json.newMapper().readTree(http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofString()).body())
          .path("rows");
      assertThat(rows).isNotEmpty();
      assertThat(rows.get(0).path("called").path("calls").asLong()).isEqualTo(1);
    });
  }
}
