package io.tenantry.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.api.ApiPaths;
import io.tenantry.api.InstanceSpec;
import io.tenantry.server.watch.WatchSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchRoutesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private RouteFixture f;
  private final List<SseClient> streams = new ArrayList<>();

  @AfterEach
  void close() {
    streams.forEach(SseClient::cancel);
    if (f != null) {
      f.close();
    }
  }

  private String watchPath(String query) {
    return ApiPaths.expand(ApiPaths.WATCH, RouteFixture.NS) + query;
  }

  private SseClient open(String query, Map<String, String> headers) {
    SseClient sse = SseClient.open(f.client, f.uri(watchPath(query)), headers);
    streams.add(sse);
    return sse;
  }

  private long register(String service, String id) {
    return f.registry.register(RouteFixture.NS, service,
        new InstanceSpec(id, "10.0.0.1", 8080, null, null, null, null, null, null, null)).instance().revision();
  }

  @Test
  void stream_receivesAddedAndDeleted() throws Exception {
    f = new RouteFixture();
    SseClient sse = open("?services=order", Map.of());
    await().atMost(WAIT).until(() -> sse.types().contains("BOOKMARK"));
    assertThat(sse.status).isEqualTo(200);
    assertThat(sse.contentType).startsWith("text/event-stream");

    long added = register("order", "o-1");
    register("payment", "p-1"); // not subscribed
    f.registry.deregister(RouteFixture.NS, "order", "o-1");
    await().atMost(WAIT).until(() -> sse.types().size() == 3);
    assertThat(sse.types()).containsExactly("BOOKMARK", "ADDED", "DELETED");
    assertThat(sse.events.get(1).id()).isEqualTo(Long.toString(added));
    assertThat(sse.events.get(1).data()).contains("\"kind\":\"instance\"").contains("\"id\":\"o-1\"");
    assertThat(sse.events.get(2).data()).contains("\"reason\":\"deregistered\"");
  }

  @Test
  void stream_resumesFromLastEventId_andFromRevision() throws Exception {
    f = new RouteFixture();
    long first = register("order", "o-1");
    long second = register("order", "o-2");
    long third = register("order", "o-3");
    SseClient byHeader = open("?revision=0", Map.of(WatchRoutes.LAST_EVENT_ID, Long.toString(first)));
    SseClient byQuery = open("?revision=" + second, Map.of());
    await().atMost(WAIT).until(() -> byHeader.types().contains("BOOKMARK") && byQuery.types().contains("BOOKMARK"));
    assertThat(byHeader.events).extracting(SseClient.Event::id).startsWith(Long.toString(second), Long.toString(third));
    assertThat(byHeader.types()).containsExactly("ADDED", "ADDED", "BOOKMARK");
    assertThat(byQuery.types()).containsExactly("ADDED", "BOOKMARK");
  }

  @Test
  void tooOldRevision_answers410BeforeStreaming() throws Exception {
    f = new RouteFixture(new WatchSettings(2, Duration.ofSeconds(15), 64, Duration.ofSeconds(60)), 0);
    long first = register("order", "o-1");
    for (int i = 2; i <= 5; i++) {
      register("order", "o-" + i);
    }
    HttpResponse<String> r = f.send("GET", watchPath("?revision=" + first), null);
    assertThat(r.statusCode()).isEqualTo(410);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    assertThat(r.body()).contains("revision-gone");
  }

  @Test
  void bookmarks_arriveEveryInterval() {
    f = new RouteFixture(new WatchSettings(100, Duration.ofMillis(200), 64, Duration.ofSeconds(60)), 0);
    SseClient sse = open("", Map.of());
    await().atMost(WAIT).until(() -> sse.types().stream().filter("BOOKMARK"::equals).count() >= 3);
  }

  @Test
  void badInput_answersProblems() throws Exception {
    f = new RouteFixture();
    assertProblem(f.send("GET", watchPath("?kinds=pods"), null), 400, "kinds");
    assertProblem(f.send("GET", watchPath("?services=Bad_Name"), null), 400, "services");
    assertProblem(f.send("GET", watchPath("?revision=abc"), null), 400, "revision");
    assertProblem(f.send("GET", watchPath("?revision=-5"), null), 400, "revision");
    assertProblem(f.send("GET", watchPath("?revision=99999999999999999999999"), null), 400, "revision");
    assertProblem(f.send("GET", ApiPaths.expand(ApiPaths.WATCH, "nowhere"), null), 404, null);
    assertProblem(f.send("GET", ApiPaths.expand(ApiPaths.WATCH, "Bad_NS"), null), 400, "namespace");
    HttpResponse<String> badHeader = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri(watchPath("")))
        .header(WatchRoutes.LAST_EVENT_ID, "yesterday").build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(badHeader, 400, WatchRoutes.LAST_EVENT_ID);
  }

  @Test
  void closingTheFeed_endsStreamsPromptly() {
    f = new RouteFixture();
    SseClient sse = open("", Map.of());
    await().atMost(WAIT).until(() -> sse.types().contains("BOOKMARK"));
    f.feed.close();
    await().atMost(Duration.ofSeconds(5)).until(sse.ended::isDone);
  }

  @Test
  void clientThatStopsReading_isDisconnectedAsASlowConsumer() throws Exception {
    f = new RouteFixture(new WatchSettings(100, Duration.ofSeconds(15), 16, Duration.ofSeconds(60)), 0);
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("localhost", f.app.port()));
      socket.getOutputStream().write(("GET " + watchPath("") + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      await().atMost(WAIT).until(() -> f.meters.get("tenantry.watch.watchers").gauge().value() == 1);
      Map<String, String> labels = new java.util.HashMap<>();
      for (int i = 0; i < 32; i++) {
        labels.put("label-" + i, "x".repeat(250));
      }
      // never read: the socket buffers fill, frames queue up, and the queue overflows
      for (int i = 0; i < 3000 && f.meters.get("tenantry.watch.watchers").gauge().value() > 0; i++) {
        f.registry.register(RouteFixture.NS, "order",
            new InstanceSpec("o-" + i, "10.0.0.1", 8080, null, null, null, null, labels, null, null));
      }
      await().atMost(WAIT).until(() -> f.meters.get("tenantry.watch.watchers").gauge().value() == 0);
      assertThat(f.meters.get("tenantry.watch.slow.consumer.disconnects").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void stoppingTheServer_endsStreamsPromptly() {
    f = new RouteFixture();
    SseClient sse = open("", Map.of());
    await().atMost(WAIT).until(() -> sse.types().contains("BOOKMARK"));
    long start = System.nanoTime();
    f.app.stop();
    await().atMost(Duration.ofSeconds(5)).until(sse.ended::isDone);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void manyStreams_doNotNeedAThreadEach() {
    f = new RouteFixture(WatchSettings.defaults(), 24); // far fewer server threads than streams
    int count = Integer.getInteger("tenantry.test.streams", 300); // -Dtenantry.test.streams=5000 for the full scale
    List<SseClient> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(open("?services=order", Map.of()));
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> all.stream().allMatch(s -> s.types().contains("BOOKMARK")));
    register("order", "o-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().allMatch(s -> s.types().contains("ADDED")));
    assertThat(f.meters.get("tenantry.watch.watchers").gauge().value()).isEqualTo(count);
  }

  static void assertProblem(HttpResponse<String> r, int status, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    if (field != null) {
      assertThat(r.body()).contains("\"field\":\"" + field);
    }
  }
}
