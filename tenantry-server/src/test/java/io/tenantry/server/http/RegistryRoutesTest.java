package io.tenantry.server.http;

import static io.tenantry.server.http.WatchRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.ServiceSummary;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryRoutesTest {
  private static final String NS = RouteFixture.NS;
  private RouteFixture f;

  @BeforeEach
  void start() {
    f = new RouteFixture();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static String instance(String service, String id) {
    return ApiPaths.expand(ApiPaths.INSTANCE, NS, service, id);
  }

  private static String body(String id) {
    return "{\"id\":\"" + id + "\",\"host\":\"10.0.0.1\",\"port\":8080,\"labels\":{\"zone\":\"a\"}}";
  }

  private static <T> T read(HttpResponse<String> r, TypeReference<T> type) throws Exception {
    return Requests.mapper().readValue(r.body(), type);
  }

  @Test
  void register_isIdempotent_listIsSorted_andDeregisterRemoves() throws Exception {
    HttpResponse<String> created = f.send("PUT", instance("order", "o-2"), body("o-2"));
    assertThat(created.statusCode()).isEqualTo(201);
    Instance first = read(created, new TypeReference<>() {});
    HttpResponse<String> again = f.send("PUT", instance("order", "o-2"), body("o-2"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(read(again, new TypeReference<Instance>() {}).revision()).isEqualTo(first.revision());
    assertThat(f.send("PUT", instance("order", "o-1"), body("o-1")).statusCode()).isEqualTo(201);

    HttpResponse<String> list = f.send("GET", ApiPaths.expand(ApiPaths.INSTANCES, NS, "order"), null);
    ListResult<Instance> instances = read(list, new TypeReference<>() {});
    assertThat(instances.items()).extracting(Instance::id).containsExactly("o-1", "o-2");
    assertThat(list.headers().firstValue(RegistryRoutes.INDEX_HEADER)).contains(Long.toString(instances.revision()));
    ListResult<ServiceSummary> services =
        read(f.send("GET", ApiPaths.expand(ApiPaths.SERVICES, NS), null), new TypeReference<>() {});
    assertThat(services.items()).containsExactly(new ServiceSummary("order", 2, 2));

    assertThat(f.send("DELETE", instance("order", "o-1"), null).statusCode()).isEqualTo(204);
    assertProblem(f.send("DELETE", instance("order", "o-1"), null), 404, null);
  }

  @Test
  void heartbeat_renews_orAnswersLeaseNotFound() throws Exception {
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    assertThat(f.send("POST", ApiPaths.expand(ApiPaths.INSTANCE_HEARTBEAT, NS, "order", "o-1"), null).statusCode())
        .isEqualTo(204);
    HttpResponse<String> unknown = f.send("POST", ApiPaths.expand(ApiPaths.INSTANCE_HEARTBEAT, NS, "order", "o-9"), null);
    assertProblem(unknown, 404, null);
    assertThat(unknown.body()).contains("lease-not-found");
  }

  @Test
  void batchHeartbeat_reportsMissing() throws Exception {
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    HttpResponse<String> r = f.send("POST", ApiPaths.expand(ApiPaths.HEARTBEATS, NS),
        "{\"instances\":[{\"service\":\"order\",\"id\":\"o-1\"},{\"service\":\"order\",\"id\":\"o-2\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"missing\":[{\"service\":\"order\",\"id\":\"o-2\"}]}");
  }

  @Test
  void status_drains() throws Exception {
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    HttpResponse<String> r = f.send("PUT", ApiPaths.expand(ApiPaths.INSTANCE_STATUS, NS, "order", "o-1"),
        "{\"status\":\"DRAINING\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(read(r, new TypeReference<Instance>() {}).status()).isEqualTo(InstanceStatus.DRAINING);
    assertProblem(f.send("PUT", ApiPaths.expand(ApiPaths.INSTANCE_STATUS, NS, "order", "o-9"),
        "{\"status\":\"DOWN\"}"), 404, null);
  }

  @Test
  void longPoll_returnsAsSoonAsTheServiceChanges() throws Exception {
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    HttpResponse<String> list = f.send("GET", ApiPaths.expand(ApiPaths.INSTANCES, NS, "order"), null);
    long index = read(list, new TypeReference<ListResult<Instance>>() {}).revision();
    CompletableFuture<HttpResponse<String>> poll = f.client.sendAsync(HttpRequest.newBuilder(
            f.uri(ApiPaths.expand(ApiPaths.INSTANCES, NS, "order") + "?index=" + index + "&wait=30s")).build(),
        HttpResponse.BodyHandlers.ofString());
    f.send("PUT", instance("payment", "p-1"), body("p-1")); // another service: keeps waiting
    assertThat(poll).isNotDone();
    f.send("PUT", instance("order", "o-2"), body("o-2"));
    await().atMost(Duration.ofSeconds(10)).until(poll::isDone);
    ListResult<Instance> changed = read(poll.get(), new TypeReference<>() {});
    assertThat(changed.items()).extracting(Instance::id).containsExactly("o-1", "o-2");
    assertThat(changed.revision()).isGreaterThan(index);
  }

  @Test
  void longPoll_outlivesTheConnectionIdleTimeout() throws Exception {
    f.close();
    f = new RouteFixture(io.tenantry.server.watch.WatchSettings.defaults(), 0, 300);
    assertThat(f.app.jettyServer().server().getConnectors())
        .allSatisfy(c -> assertThat(c.getIdleTimeout()).isEqualTo(300));
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    long index = f.feed.currentRevision();
    HttpResponse<String> r = f.send("GET", ApiPaths.expand(ApiPaths.INSTANCES, NS, "order") + "?index=" + index
        + "&wait=1500ms", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void longPoll_answersTheCurrentListAtTimeout() throws Exception {
    f.send("PUT", instance("order", "o-1"), body("o-1"));
    long index = f.feed.currentRevision();
    HttpResponse<String> r = f.send("GET", ApiPaths.expand(ApiPaths.INSTANCES, NS, "order") + "?index=" + index
        + "&wait=200ms", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(read(r, new TypeReference<ListResult<Instance>>() {}).items()).hasSize(1);
  }

  @Test
  void badInput_answersProblemsOnEveryEndpoint() throws Exception {
    String order = instance("order", "o-1");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\","), 400, null);                       // malformed JSON
    assertProblem(f.send("PUT", order, ""), 400, null);                                       // empty body
    assertProblem(f.send("PUT", order, "[1,2]"), 400, null);                                  // not an object
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":\"http\"}"), 400, "port");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":70000}"), 400, "port");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":0}"), 400, "port");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"colour\":1}"), 400, "colour");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-2\",\"host\":\"h\",\"port\":80}"), 400, "id");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"bad host\",\"port\":80}"), 400, "host");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"weight\":-1}"), 400, "weight");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"status\":\"SLEEPING\"}"), 400,
        "status");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"leaseSeconds\":0}"), 400,
        "leaseSeconds");
    String labels = IntStream.range(0, 33).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"labels\":{" + labels + "}}"), 400,
        "labels");
    assertProblem(f.send("PUT", order, "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"tenant\":\"Not A Name\"}"), 400,
        "tenant");
    String huge = "{\"id\":\"o-1\",\"host\":\"h\",\"port\":80,\"version\":\"" + "v".repeat(100_000) + "\"}";
    assertProblem(f.send("PUT", order, huge), 413, null);
    assertProblem(f.send("PUT", instance("Bad_Service", "o-1"), body("o-1")), 400, "service");
    assertProblem(f.send("PUT", ApiPaths.expand(ApiPaths.INSTANCE, NS, "order", "bad%20id"), body("o-1")), 400,
        "instance");
    assertProblem(f.send("PUT", ApiPaths.expand(ApiPaths.INSTANCE, "nowhere", "order", "o-1"), body("o-1")), 404, null);
    assertProblem(f.send("PUT", ApiPaths.expand(ApiPaths.INSTANCE, "other", "order", "o-1"), body("o-1")), 404, null);

    assertProblem(f.send("POST", ApiPaths.expand(ApiPaths.INSTANCE_HEARTBEAT, NS, "Bad_Service", "o-1"), null), 400,
        "service");
    String heartbeats = ApiPaths.expand(ApiPaths.HEARTBEATS, NS);
    assertProblem(f.send("POST", heartbeats, "{}"), 400, "instances");
    assertProblem(f.send("POST", heartbeats, "{\"instances\":[{\"service\":\"Bad\",\"id\":\"o\"}]}"), 400, "service");
    assertProblem(f.send("POST", heartbeats, "{\"instances\":[null]}"), 400, null);
    assertProblem(f.send("POST", heartbeats, "{\"instances\":\"o-1\"}"), 400, "instances");
    String many = IntStream.range(0, 1001).mapToObj(i -> "{\"service\":\"s\",\"id\":\"" + i + "\"}")
        .collect(Collectors.joining(","));
    assertProblem(f.send("POST", heartbeats, "{\"instances\":[" + many + "]}"), 400, "instances");

    String status = ApiPaths.expand(ApiPaths.INSTANCE_STATUS, NS, "order", "o-1");
    assertProblem(f.send("PUT", status, "{\"status\":\"SLEEPING\"}"), 400, "status");
    assertProblem(f.send("PUT", status, "{}"), 400, "status");
    assertProblem(f.send("PUT", status, "{\"status\":1"), 400, null);

    assertProblem(f.send("DELETE", ApiPaths.expand(ApiPaths.INSTANCE, NS, "order", "bad%20id"), null), 400, "instance");

    String instances = ApiPaths.expand(ApiPaths.INSTANCES, NS, "order");
    assertProblem(f.send("GET", instances + "?index=abc", null), 400, "index");
    assertProblem(f.send("GET", instances + "?index=-1", null), 400, "index");
    assertProblem(f.send("GET", instances + "?index=1&wait=soon", null), 400, "wait");
    assertProblem(f.send("GET", instances + "?index=1&wait=-1s", null), 400, "wait");
    assertProblem(f.send("GET", instances + "?index=1&wait=10h", null), 400, "wait");
    assertProblem(f.send("GET", ApiPaths.expand(ApiPaths.SERVICES, "Bad_NS"), null), 400, "namespace");
    assertProblem(f.send("GET", ApiPaths.expand(ApiPaths.SERVICES, "nowhere"), null), 404, null);
  }
}
