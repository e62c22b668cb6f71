package io.tenantry.client.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.Json;
import io.tenantry.api.stats.StatsReport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporter against a control plane that is down, then one that is up: real sockets, no mocks. */
class StatsReporterTest {
  private final ObjectMapper mapper = Json.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CopyOnWriteArrayList<String> posted = new CopyOnWriteArrayList<>();
  private HttpServer up;

  @AfterEach
  void stop() {
    if (up != null) {
      up.stop(0);
    }
  }

  private static URI down() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort()); // closed again: connections are refused
    }
  }

  private URI up() throws Exception {
    up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    up.createContext("/", ex -> {
      posted.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization")
          + " " + new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    up.start();
    return URI.create("http://127.0.0.1:" + up.getAddress().getPort());
  }

  private StatsReporter reporter(StatsRecorder recorder, List<URI> servers) {
    return new StatsReporter(recorder, "order", () -> "order-1", servers, "shop", "key-1", http, mapper,
        Duration.ofSeconds(2));
  }

  @Test
  void controlPlaneDown_dropsTheInterval_andCountingGoesOn() throws Exception {
    StatsRecorder recorder = new StatsRecorder(10);
    recorder.served("acme").unmeasuredCall();
    StatsReporter reporter = reporter(recorder, List.of(down()));
    reporter.report(); // no exception, no wait: the post is asynchronous
    recorder.served("acme").unmeasuredCall();
    List<StatsReport> next = recorder.drain("order", null);
    assertThat(next.get(0).served().get(0).calls()).isEqualTo(1); // the dropped interval is not sent again
  }

  @Test
  void aFailedServer_isLeftForTheNext_andTheReportArrivesThere() throws Exception {
    URI good = up();
    StatsRecorder recorder = new StatsRecorder(10);
    StatsReporter reporter = reporter(recorder, List.of(down(), good));
    recorder.served("acme").unmeasuredCall();
    reporter.report(); // fails on the first server
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      recorder.served("acme").unmeasuredCall();
      reporter.report();
      return !posted.isEmpty();
    });
    String post = posted.get(0);
    assertThat(post).startsWith("POST /api/v1/namespaces/shop/stats Bearer key-1 ");
    StatsReport report = mapper.readValue(post.substring(post.indexOf('{')), StatsReport.class);
    assertThat(report.service()).isEqualTo("order");
    assertThat(report.instance()).isEqualTo("order-1");
    assertThat(report.served().get(0).tenant()).isEqualTo("acme");
    assertThat(report.served().get(0).calls()).isEqualTo(1);
  }
}
