package io.tenantry.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of a stub service: a JDK HTTP server behind the SDK's {@link TenantryHttpFilter} that answers
 * 200 with no body, counts its requests and, once {@linkplain #watchForFirst() asked}, notes when the next one
 * arrives. Thread-safe.
 */
final class StubInstance implements AutoCloseable {
  private final String id;
  private final String version;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong firstAt = new AtomicLong(-1); // -1: not watching; 0: watching, none yet

  /** @param door the client of this instance's service, whose door the filter applies */
  StubInstance(String id, String version, TenantryClient door) throws IOException {
    this.id = id;
    this.version = version;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle).getFilters().add(new TenantryHttpFilter(door));
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "stub-" + id);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    firstAt.compareAndSet(0, System.nanoTime());
    requests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    // no body: the headers go out in one write, so Nagle's algorithm and the caller's delayed ACK cannot hold a
    // second segment back for ~40 ms (the JDK server leaves TCP_NODELAY off)
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  /** Forgets any earlier first arrival and notes the next request's ({@link System#nanoTime()}). */
  void watchForFirst() {
    firstAt.set(0);
  }

  /** When the first request since {@link #watchForFirst()} arrived, or 0 if none did yet. */
  long firstAt() {
    return Math.max(0, firstAt.get());
  }

  int requests() {
    return requests.get();
  }

  /** This server registered as a shared instance of its service, labelled by its version. */
  InstanceSpec spec() {
    return new InstanceSpec(id, "127.0.0.1", server.getAddress().getPort(), version, null, 100, InstanceStatus.UP,
        Map.of(), null, 30);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
