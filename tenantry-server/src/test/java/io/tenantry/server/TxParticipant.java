package io.tenantry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.Jwks;
import io.tenantry.api.tx.PhaseTwoRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small real participant for coordinator tests: a JDK HttpServer answering {@code POST /.well-known/tenantry/tx}
 * as the test scripts it (200, 409, 503…), after verifying the coordinator's token against the control plane's
 * JWKS (audience, xid, branch and phase equal to the body; a bad token answers 401 and is recorded). Records every
 * call it accepted, with when it started and ended, so tests can check order and overlap. Thread-safe.
 */
final class TxParticipant implements AutoCloseable {
  /** One phase-two call as the participant saw it. */
  record Call(String xid, int branch, BranchPhase phase, String service, String key, JsonNode data, int answered,
      long startNanos, long endNanos, Trace trace) {}

  /** The trace headers a call carried (null: absent). */
  record Trace(String traceparent, String tracestate, String caller) {}

  private volatile URI jwksUri;
  private final String audience;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> badTokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<PhaseTwoRequest, Integer> script = r -> 200;
  private HttpServer server;
  private int port;

  /** Starts on a free port, verifying tokens for {@code <namespace>/<service>} against {@code controlPlane}'s JWKS. */
  TxParticipant(URI controlPlane, String namespace, String service) {
    this.jwksUri = URI.create(controlPlane + ApiPaths.JWKS);
    this.audience = CoordinatorToken.audience(namespace, service);
    start(0);
  }

  /** Verifies tokens against this control plane's JWKS from now on (another node, a restarted one). */
  TxParticipant controlPlane(URI controlPlane) {
    this.jwksUri = URI.create(controlPlane + ApiPaths.JWKS);
    return this;
  }

  /** Answers with the status {@code script} returns for each call. */
  TxParticipant answer(Function<PhaseTwoRequest, Integer> script) {
    this.script = script;
    return this;
  }

  int port() {
    return port;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls answered 200. */
  List<Call> done() {
    return calls.stream().filter(c -> c.answered() == 200).toList();
  }

  List<String> badTokens() {
    return List.copyOf(badTokens);
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  /** Stops listening: calls are refused until {@link #restart()}. */
  void stop() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  void restart() {
    start(port);
  }

  private void start(int onPort) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + onPort, e);
    }
    server.createContext(ApiPaths.TX_PARTICIPANT, this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    port = server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    int status;
    String detail;
    try {
      PhaseTwoRequest body = ServerFixture.JSON.readValue(ex.getRequestBody().readAllBytes(), PhaseTwoRequest.class);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String problem = verify(auth == null ? null : auth.replaceFirst("^Bearer ", ""), body);
      if (problem != null) {
        badTokens.add(problem);
        status = 401;
        detail = problem;
      } else {
        status = script.apply(body);
        detail = status == 200 ? "done" : "scripted " + status;
        calls.add(new Call(body.xid(), body.branch(), body.phase(), body.service(), body.key(), body.data(), status,
            start, System.nanoTime(), new Trace(ex.getRequestHeaders().getFirst("traceparent"),
            ex.getRequestHeaders().getFirst("tracestate"), ex.getRequestHeaders().getFirst("X-Tenantry-Caller"))));
      }
    } finally {
      // before the answer leaves: once the coordinator has it, it may send the next call, which must not find
      // this one still counted (a busy machine descheduled this thread there, and one-at-a-time looked like two)
      inFlight.decrementAndGet();
    }
    send(ex, status, detail);
  }

  /** Null if the token is good for this body, else what is wrong. */
  private String verify(String token, PhaseTwoRequest body) {
    try {
      CoordinatorToken t = CoordinatorToken.verify(token, this::key, Instant.now());
      if (!t.audience().equals(audience) || !t.xid().equals(body.xid()) || t.branch() != body.branch()
          || t.phase() != body.phase()) {
        return "token claims differ from the body: " + t;
      }
      return null;
    } catch (CoordinatorToken.InvalidTokenException e) {
      return e.getMessage();
    }
  }

  private PublicKey key(String kid) {
    return keys.computeIfAbsent(kid, k -> {
      try {
        String doc = http.send(HttpRequest.newBuilder(jwksUri).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode jwk : ServerFixture.JSON.readTree(doc).path("keys")) {
          if (jwk.path("kid").asText().equals(k)) {
            return Jwks.fromJwk(jwk);
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    });
  }

  private static void send(HttpExchange ex, int status, String detail) throws IOException {
    byte[] body = status == 200 ? "{}".getBytes(StandardCharsets.UTF_8)
        : ("{\"type\":\"https://tenantry.io/problems/x\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
