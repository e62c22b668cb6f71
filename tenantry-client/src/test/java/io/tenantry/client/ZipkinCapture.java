package io.tenantry.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * A JDK HTTP server posing as a Zipkin endpoint ({@code POST /api/v2/spans}): every body must parse as a Zipkin
 * v2 JSON list with Zipkin's own codec (else it answers 400 and counts the body as malformed), and the spans are kept.
 */
final class ZipkinCapture implements AutoCloseable {
  private final HttpServer server;
  private final CopyOnWriteArrayList<Span> spans = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> malformed = new CopyOnWriteArrayList<>();

  ZipkinCapture() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v2/spans", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = 202;
      try {
        List<Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(body);
        if (decoded.isEmpty() || !"POST".equals(ex.getRequestMethod())) {
          throw new IllegalArgumentException("no spans");
        }
        spans.addAll(decoded);
      } catch (RuntimeException e) {
        malformed.add(new String(body, java.nio.charset.StandardCharsets.UTF_8) + " : " + e);
        status = 400;
      }
      ex.sendResponseHeaders(status, -1);
      try (OutputStream out = ex.getResponseBody()) {
        out.flush();
      }
    });
    server.start();
  }

  /** The {@code traceExport} option that sends here. */
  String export() {
    return "zipkin:http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans";
  }

  List<Span> spans() {
    return List.copyOf(spans);
  }

  List<String> malformed() {
    return List.copyOf(malformed);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
