package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
  private HttpServer server;
  private InetSocketAddress address;
  private final Requests requests = new Requests("127.0.0.1", "Bearer k", "application/json");

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/fixed", ex -> {
      byte[] body = ("fixed " + ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(201, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("first-".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("second".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.createContext("/empty", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    address = server.getAddress();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void exchange_readsFixedChunkedAndEmptyBodiesOnOneKeptAliveConnection() throws Exception {
    try (HttpConnection c = HttpConnection.open(address).keepingBodies()) {
      assertThat(c.exchange(requests.send("PUT", "/fixed", "application/json", "{\"a\":1}"))).isEqualTo(200);
      assertThat(c.body()).isEqualTo("fixed PUT {\"a\":1}");
      assertThat(c.exchange(requests.get("/chunked"))).isEqualTo(201);
      assertThat(c.body()).isEqualTo("first-second");
      assertThat(c.exchange(requests.send("POST", "/empty", "application/json", null))).isEqualTo(204);
      assertThat(c.body()).isEmpty();
      assertThat(c.exchange(requests.get("/fixed"))).isEqualTo(200);
      assertThat(c.body()).isEqualTo("fixed GET ");
    }
  }
}
