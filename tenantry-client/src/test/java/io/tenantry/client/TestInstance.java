package io.tenantry.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JDK HTTP server playing one instance of a service in tests: records every request it gets
 * (headers and the tenant context its {@link TenantryHttpFilter} saw) and answers with a programmable
 * status, or holds the answer until released (to make a caller time out).
 */
public final class TestInstance implements AutoCloseable {
  /** What one request looked like on arrival. */
  public record Seen(String method, String path, String query, Map<String, List<String>> headers, String tenant) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final String id;
  private final HttpServer server;
  private final CopyOnWriteArrayList<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private volatile CountDownLatch hold;

  private final String version;

  public TestInstance(String id) throws IOException {
    this(id, "v1", null);
  }

  /**
   * @param version the version it registers with
   * @param door    the client whose policies its door enforces (rate limits, quotas, bulkheads), or null
   */
  public TestInstance(String id, String version, TenantryClient door) throws IOException {
    this.id = id;
    this.version = version;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle).getFilters()
        .add(door == null ? new TenantryHttpFilter() : new TenantryHttpFilter(door));
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "instance-" + id);
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
        Map.copyOf(ex.getRequestHeaders()), TenantContext.current().orElse(null)));
    ex.getRequestBody().readAllBytes();
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = id.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status.get(), body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public String id() {
    return id;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers every later request with {@code code}. */
  public TestInstance answer(int code) {
    status.set(code);
    return this;
  }

  /** Holds every later answer until {@link #release()}. */
  public TestInstance holdAnswers() {
    hold = new CountDownLatch(1);
    return this;
  }

  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public int count() {
    return seen.size();
  }

  /** A spec registering this server, shared or dedicated to {@code tenant}. */
  public InstanceSpec spec(String tenant, Integer leaseSeconds) {
    return new InstanceSpec(id, "127.0.0.1", port(), version, "zone-a", 100, InstanceStatus.UP, Map.of(), tenant,
        leaseSeconds);
  }

  /** This server as a registry entry of {@code service}. */
  public Instance instance(String service, String tenant) {
    return Instance.of("shop", service, spec(tenant, 30), 30, 1);
  }

  @Override
  public void close() {
    server.stop(0); // first: a held request must not be answered on the way out
    release();
  }
}
