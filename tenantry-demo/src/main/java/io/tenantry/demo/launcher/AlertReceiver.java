package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The launcher's webhook receiver: the alert policies' notifier in the demo, as an on-call tool would be.
 * Prints each alert event as it arrives ({@code >>> 0:21 ALERT firing ...}) and keeps its summary line.
 * Thread-safe; {@link #close()} stops it.
 */
final class AlertReceiver implements AutoCloseable {
  private static final int MAX_BODY = 64 * 1024;
  private final HttpServer server;
  private final ObjectMapper json;
  private final PrintStream out;
  private final Supplier<Duration> elapsed;
  private final List<String> received = new CopyOnWriteArrayList<>();

  /** @param elapsed the time since traffic started, for the printed clock */
  AlertReceiver(ObjectMapper json, PrintStream out, Supplier<Duration> elapsed) throws IOException {
    this.json = json;
    this.out = out;
    this.elapsed = elapsed;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/alerts", this::handle);
    server.start();
  }

  /** Where the control plane posts alert events. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
  }

  /** The events received so far, as {@code <status> <summary>} lines. */
  List<String> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY);
      String line;
      try {
        JsonNode event = json.readTree(body);
        line = event.path("status").asText("?").toUpperCase() + " " + event.path("commonAnnotations").path("summary")
            .asText(event.path("groupKey").asText(""));
      } catch (IOException e) {
        line = "unreadable event: " + e.getMessage();
      }
      received.add(line);
      out.println(">>> " + ReportTable.clock(elapsed.get()) + " ALERT " + line);
      exchange.sendResponseHeaders(204, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static Duration since(Instant start) {
    return start == null ? Duration.ZERO : Duration.between(start, Instant.now());
  }
}
