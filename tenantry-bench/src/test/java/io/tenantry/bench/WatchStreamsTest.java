package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchStreamsTest {
  private HttpServer server;
  private final List<HttpExchange> open = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/watch", ex -> {
      ex.sendResponseHeaders(200, 0);
      synchronized (ex) {
        open.add(ex); // before the marker: once a client sees it, a broadcast must reach it
        ex.getResponseBody().write(": subscribed\n\n".getBytes(StandardCharsets.UTF_8));
        ex.getResponseBody().flush();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    open.forEach(HttpExchange::close);
    server.stop(0);
  }

  private void broadcast(String text) throws IOException {
    for (HttpExchange ex : open) {
      // an exchange's stream is written by its handler thread (the marker) and by this one: one at a time
      synchronized (ex) {
        ex.getResponseBody().write(text.getBytes(StandardCharsets.UTF_8));
        ex.getResponseBody().flush();
      }
    }
  }

  @Test
  void tokens_areCountedOncePerStream_evenWhenSplitAcrossChunks() throws Exception {
    byte[] request = new Requests("127.0.0.1", null, "text/event-stream").get("/watch");
    TokenFormat format = new TenantryWatch.DigitsToken("chg-".getBytes(StandardCharsets.US_ASCII));
    try (WatchStreams streams = new WatchStreams(server.getAddress(), request,
        "subscribed".getBytes(StandardCharsets.US_ASCII), format, 3, 3)) {
      streams.open(Duration.ofSeconds(10));
      broadcast("data: {\"id\":\"chg-000000\"}\n\n");
      broadcast("data: {\"id\":\"ch");
      broadcast("g-000001\"}\n\ndata: {\"id\":\"chg-000001\"}\n\n"); // a repeat does not count twice
      broadcast("data: {\"id\":\"chg-000002\"}\n\n");

      assertThat(streams.await(3, Duration.ofSeconds(10))).isTrue();
      for (int t = 0; t < 3; t++) {
        assertThat(streams.arrived(t)).isEqualTo(3);
        assertThat(java.util.Arrays.stream(streams.arrivals(t))).allSatisfy(at -> assertThat(at).isPositive());
      }
      assertThat(streams.dropped()).isZero();
    }
  }

  @Test
  void etcdTokens_decodeFromTheBase64OfPaddedKeys() {
    EtcdWatch etcd = new EtcdWatch(new InetSocketAddress("127.0.0.1", 2379));
    String prefix = EtcdWatch.prefix("fanout-1000");
    assertThat(prefix.length() % 3).isZero();
    TokenFormat format = etcd.tokens("fanout-1000");
    byte[] key = java.util.Base64.getEncoder().encode((prefix + "000042").getBytes(StandardCharsets.US_ASCII));
    assertThat(StreamParser.find(key, key.length, format.marker(), 0)).isZero();
    assertThat(format.decode(key, format.marker().length)).isEqualTo(42);
  }
}
