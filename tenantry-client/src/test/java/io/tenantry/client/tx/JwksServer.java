package io.tenantry.client.tx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Json;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.Jwks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a participant needs of the control plane to check phase-two calls, on a real JDK HTTP server: the JWKS of
 * Ed25519 key pairs generated here ({@code GET /.well-known/jwks.json}), and tokens signed with them as the
 * coordinator signs them. Every other path answers 404. Thread-safe.
 */
final class JwksServer implements AutoCloseable {
  private static final ObjectMapper JSON = Json.newMapper();
  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile Map<String, KeyPair> published;

  JwksServer() throws IOException {
    published = Map.of("k1", newKeyPair());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body;
      int status;
      if (ex.getRequestURI().getPath().equals(ApiPaths.JWKS)) {
        fetches.incrementAndGet();
        List<Map<String, String>> keys = published.entrySet().stream()
            .map(e -> Jwks.toJwk(e.getKey(), e.getValue().getPublic())).toList();
        body = JSON.writeValueAsBytes(Map.of("keys", keys));
        status = 200;
      } else {
        body = "{\"type\":\"https://tenantry.io/problems/not-found\",\"status\":404}".getBytes();
        status = 404;
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How often the JWKS was fetched. */
  int fetches() {
    return fetches.get();
  }

  /** Publishes {@code keys} instead (a rotation). */
  void publish(Map<String, KeyPair> keys) {
    published = Map.copyOf(keys);
  }

  PrivateKey privateKey(String kid) {
    return published.get(kid).getPrivate();
  }

  /** A token as the coordinator signs it: key {@code k1}, a minute's life from {@code now}. */
  String token(String audience, String xid, int branch, BranchPhase phase, Instant now) {
    return token("k1", privateKey("k1"), audience, xid, branch, phase, now, now.plusSeconds(60));
  }

  static String token(String kid, PrivateKey key, String audience, String xid, int branch, BranchPhase phase,
      Instant issued, Instant expires) {
    return new CoordinatorToken(kid, audience, xid, branch, phase, issued.getEpochSecond(), expires.getEpochSecond())
        .sign(key);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
