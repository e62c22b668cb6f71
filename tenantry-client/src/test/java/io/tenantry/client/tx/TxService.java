package io.tenantry.client.tx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.server.internal.DaemonThreads;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A service of the transaction tests: a JDK HTTP server behind {@code client}'s filter (which also serves the
 * coordinator's phase-two calls), registered through the SDK as {@code <service>-1}. The handler's text is the
 * answer (200); what it throws is a 500 with its text. Four threads: an initiator's confirm is served while its
 * own request still waits for phase two.
 */
final class TxService {
  interface Handler {
    String handle(HttpExchange ex) throws Exception;
  }

  private TxService() {}

  /** Starts it and registers it; the caller stops it. */
  static HttpServer start(TenantryClient client, String service, Handler handler) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body;
      int status = 200;
      try {
        body = handler.handle(ex).getBytes(StandardCharsets.UTF_8);
      } catch (Exception e) {
        status = 500;
        body = e.toString().getBytes(StandardCharsets.UTF_8);
      }
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }).getFilters().add(new TenantryHttpFilter(client));
    server.setExecutor(Executors.newFixedThreadPool(4, DaemonThreads.named("svc-" + service)));
    server.start();
    client.register(service, new InstanceSpec(service + "-1", "127.0.0.1", server.getAddress().getPort(), "v1", null,
        100, InstanceStatus.UP, Map.of(), null, 30));
    return server;
  }
}
