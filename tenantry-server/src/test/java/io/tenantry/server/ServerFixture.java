package io.tenantry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import io.tenantry.server.stats.StatsView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real control plane for tests: started in-process on port 0 over a data directory, with a known
 * platform-admin key, and a small JDK HttpClient to talk to it. Restartable on the same data, on a new
 * port ({@link #restart()}) or on the same one ({@link #stop()}, {@link #startAgain()}). Published in
 * the server's test-jar: the SDK's integration tests use it too. Not thread-safe for start and stop;
 * requests may be sent from any thread.
 */
public final class ServerFixture implements AutoCloseable {
  public static final String ADMIN_KEY = "test-admin-key-0123456789";
  public static final ObjectMapper JSON = Json.newMapper();

  private final ServerConfig config;
  /** What alert rules read; null for none. */
  private final StatsView stats;
  private TenantryServer server;
  private int port;
  private URI baseUri;
  private int keys;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerFixture(ServerConfig config, StatsView stats) {
    this.config = config;
    this.stats = stats;
    this.server = TenantryServer.start(config, System.out, stats);
    this.port = server.port();
    this.baseUri = server.baseUri();
  }

  /** A server on the embedded H2 store under {@code dataDir}. */
  public static ServerFixture start(Path dataDir) {
    return start(config(dataDir).build());
  }

  public static ServerFixture start(ServerConfig config) {
    return new ServerFixture(config, null);
  }

  /** A server whose alert rules read {@code stats} (kept across restarts). */
  public static ServerFixture start(ServerConfig config, StatsView stats) {
    return new ServerFixture(config, stats);
  }

  /** The fixture's defaults: loopback, port 0, the known admin key. */
  public static ServerConfig.Builder config(Path dataDir) {
    return ServerConfig.newBuilder().port(0).dataDir(dataDir).adminKey(ADMIN_KEY);
  }

  public TenantryServer server() {
    return server;
  }

  /** {@code http://host:port} of the server: also while it is stopped (where it will be again after {@link #startAgain()}). */
  public URI baseUri() {
    return baseUri;
  }

  /** Stops the server and starts a new one on the same configuration and data (on a new port). */
  public void restart() {
    server.close();
    server = TenantryServer.start(config, System.out, stats);
    port = server.port();
    baseUri = server.baseUri();
  }

  /** Stops the server; clients see it down until {@link #startAgain()}. Idempotent. */
  public void stop() {
    server.close();
  }

  /** Starts the server again on the same data and the same port (so clients keep their configured address). */
  public void startAgain() {
    server = TenantryServer.start(config.toBuilder().port(port).build(), System.out, stats);
    port = server.port();
    baseUri = server.baseUri();
  }

  @Override
  public void close() {
    server.close();
  }

  public Client admin() {
    return as(ADMIN_KEY);
  }

  public Client anonymous() {
    return as(null);
  }

  public Client as(String key) {
    return new Client(key);
  }

  /** Creates a namespace as platform admin. */
  public void namespace(String name) {
    admin().post(ApiPaths.NAMESPACES, Map.of("name", name)).expect(201);
  }

  /** Creates a key of {@code role} in {@code ns} (a new name each time) and returns its token. */
  public synchronized String key(String ns, String role) {
    String name = "k-" + role + "-" + (++keys);
    return admin().post(ApiPaths.expand(ApiPaths.KEYS, ns), Map.of("name", name, "role", role))
        .expect(201).json().path("secret").asText();
  }

  /**
   * Opens a watch stream of {@code ns} as platform admin ({@code query} without the leading {@code ?},
   * e.g. {@code kinds=instance}) and returns once its opening bookmark arrived: the watch is registered.
   */
  public Watch watch(String ns, String query) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUri() + ApiPaths.expand(ApiPaths.WATCH, ns)
            + (query.isEmpty() ? "" : "?" + query)))
        .header("Authorization", "Bearer " + ADMIN_KEY)
        .header("Accept", "text/event-stream")
        .build();
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(req, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (response.statusCode() != 200) {
      throw new AssertionError("watch " + ns + ": expected status 200 but got " + response.statusCode());
    }
    Thread reader = new Thread(() -> {
      try (Stream<String> lines = response.body()) {
        lines.filter(l -> l.startsWith("data:")).forEach(l -> {
          try {
            events.add(JSON.readTree(l.substring(5).trim()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (RuntimeException e) {
        // the stream was cut: that is an end too
      } finally {
        ended.complete(null);
      }
    }, "test-sse-reader");
    reader.setDaemon(true);
    reader.start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    return new Watch(events, ended);
  }

  /** The data lines of one SSE stream, collected as they arrive, and whether it ended. */
  public record Watch(List<JsonNode> events, CompletableFuture<Void> ended) {
    /** The events other than bookmarks. */
    public List<JsonNode> changes() {
      return events.stream().filter(e -> !e.path("type").asText().equals("BOOKMARK")).toList();
    }
  }

  /** An answer: status, headers and body. */
  public record Response(int status, String contentType, String body, Map<String, java.util.List<String>> headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    public Response expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected status " + expected + " but got " + status + ": " + body);
      }
      return this;
    }
  }

  /** Requests with one key (or none). */
  public final class Client {
    private final String key;

    private Client(String key) {
      this.key = key;
    }

    public Response get(String path) {
      return send("GET", path, null, null);
    }

    public Response delete(String path) {
      return send("DELETE", path, null, null);
    }

    public Response post(String path, Object body) {
      return send("POST", path, toJson(body), "application/json");
    }

    public Response put(String path, Object body) {
      return send("PUT", path, toJson(body), "application/json");
    }

    /** Any method, a raw body (null for none) and a content type (null for none). */
    public Response send(String method, String path, String body, String contentType) {
      return send(method, path, body, contentType, Map.of());
    }

    /** As {@link #send(String, String, String, String)}, with more request headers. */
    public Response send(String method, String path, String body, String contentType, Map<String, String> headers) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
          .timeout(Duration.ofSeconds(10))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(b::header);
      if (key != null) {
        b.header("Authorization", "Bearer " + key);
      }
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers().map());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Sends only the head of a request, on a connection of its own, that announces {@code contentLength}
   * bytes of JSON (0: no body) and reads the answer: how an oversized body is refused before it is sent,
   * and how a request the server answers by closing the connection is read without a race.
   */
  public Response raw(String method, String path, String key, long contentLength) {
    try (java.net.Socket socket = new java.net.Socket(server.baseUri().getHost(), server.port())) {
      socket.setSoTimeout(10_000);
      String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(raw.substring(9, 12));
      int split = raw.indexOf("\r\n\r\n");
      String contentType = raw.substring(0, split).lines()
          .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
          .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse("");
      return new Response(status, contentType, raw.substring(split + 4), Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Status codes from a server the fixture did not start. */
  static final class Probe implements AutoCloseable {
    private final TenantryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    Probe(TenantryServer server) {
      this.server = server;
    }

    int status(String method, String path, String key) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
          .method(method, HttpRequest.BodyPublishers.noBody());
      if (key != null) {
        b.header("Authorization", "Bearer " + key);
      }
      try {
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {}
  }

  static String toJson(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
