package io.tenantry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real control plane for tests: started in-process on port 0 over a data directory, with a known
 * platform-admin key, and a small JDK HttpClient to talk to it. Restartable on the same data.
 * Tests of other modules can copy the idea: they need only {@link TenantryServer#start}.
 */
final class ServerFixture implements AutoCloseable {
  static final String ADMIN_KEY = "test-admin-key-0123456789";
  static final ObjectMapper JSON = Json.newMapper();

  private final ServerConfig config;
  private TenantryServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerFixture(ServerConfig config) {
    this.config = config;
    this.server = TenantryServer.start(config);
  }

  /** A server on the embedded H2 store under {@code dataDir}. */
  static ServerFixture start(Path dataDir) {
    return start(config(dataDir).build());
  }

  static ServerFixture start(ServerConfig config) {
    return new ServerFixture(config);
  }

  /** The fixture's defaults: loopback, port 0, the known admin key. */
  static ServerConfig.Builder config(Path dataDir) {
    return ServerConfig.newBuilder().port(0).dataDir(dataDir).adminKey(ADMIN_KEY);
  }

  TenantryServer server() {
    return server;
  }

  /** Stops the server and starts a new one on the same configuration and data (on a new port). */
  void restart() {
    server.close();
    server = TenantryServer.start(config);
  }

  @Override
  public void close() {
    server.close();
  }

  Client admin() {
    return as(ADMIN_KEY);
  }

  Client anonymous() {
    return as(null);
  }

  Client as(String key) {
    return new Client(key);
  }

  /** Creates a namespace as platform admin. */
  void namespace(String name) {
    admin().post(ApiPaths.NAMESPACES, Map.of("name", name)).expect(201);
  }

  /** Creates a key of {@code role} in {@code ns} and returns its token. */
  String key(String ns, String role) {
    return admin().post(ApiPaths.expand(ApiPaths.KEYS, ns), Map.of("name", "k-" + role, "role", role))
        .expect(201).json().path("secret").asText();
  }

  /** An answer: status, headers and body. */
  record Response(int status, String contentType, String body, Map<String, java.util.List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    Response expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected status " + expected + " but got " + status + ": " + body);
      }
      return this;
    }
  }

  /** Requests with one key (or none). */
  final class Client {
    private final String key;

    private Client(String key) {
      this.key = key;
    }

    Response get(String path) {
      return send("GET", path, null, null);
    }

    Response delete(String path) {
      return send("DELETE", path, null, null);
    }

    Response post(String path, Object body) {
      return send("POST", path, toJson(body), "application/json");
    }

    Response put(String path, Object body) {
      return send("PUT", path, toJson(body), "application/json");
    }

    /** Any method, a raw body (null for none) and a content type (null for none). */
    Response send(String method, String path, String body, String contentType) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
          .timeout(Duration.ofSeconds(10))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
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
  Response raw(String method, String path, String key, long contentLength) {
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
