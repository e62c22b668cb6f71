package io.tenantry.server.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.Json;
import io.tenantry.api.tx.PhaseTwoRequest;
import io.tenantry.api.http.Http1AnswerReader.Answer;
import io.tenantry.api.http.Http1Link;
import io.tenantry.server.trace.TraceParent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Sends one phase-two request to one participant instance and classifies the answer: 200 done, 409 refused for
 * good, anything else (or no answer in time) to be retried. Never fails its future. Each instance's address has an
 * {@link Http1Link} (kept-alive connections, the call made on one of {@code executor}'s threads): the JDK client
 * cost several times the exchange, and opened a connection per call when calls came faster than it reused them
 * (20,000 sockets at two hundred transactions a second). Links unused for a while are closed ({@link #sweep}).
 * Thread-safe.
 */
final class PhaseTwoCall implements AutoCloseable {
  /** What a participant answered. */
  enum Kind { DONE, REFUSED, RETRY }

  /** The answer; {@code error} says what went wrong for REFUSED and RETRY; {@code status} 0: no answer. */
  record Result(Kind kind, String error, int status) {
    Result(Kind kind, String error) {
      this(kind, error, 0);
    }
  }

  private static final ObjectMapper JSON = Json.newMapper();
  private static final int MAX_ERROR = 300;
  /** A participant's answer is a problem at most: longer ones are refused. */
  private static final int MAX_ANSWER = 64 * 1024;
  private static final int MAX_IDLE_PER_INSTANCE = 32;
  /** Below the JDK HTTP server's and Jetty's idle timeouts (30 s): the link closes first. */
  private static final Duration IDLE = Duration.ofSeconds(20);

  private final Executor executor;
  private final Duration timeout;
  private final Map<String, Http1Link> links = new ConcurrentHashMap<>();

  PhaseTwoCall(Executor executor, Duration timeout) {
    this.executor = executor;
    this.timeout = timeout;
  }

  /**
   * Sends {@code body} to {@code instance}.
   *
   * @param trace the trace context to carry ({@code traceparent}, {@code tracestate}), or null
   */
  CompletableFuture<Result> send(Instance instance, PhaseTwoRequest body, String token, TraceParent trace) {
    String who = instance.id() + " (" + instance.authority() + ")";
    List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json",
        "Authorization", "Bearer " + token,
        Headers.CALLER, PhaseTwoSpans.SERVICE)); // the participant's span names its caller
    if (trace != null) {
      headers.addAll(List.of("traceparent", trace.header()));
      if (trace.traceState() != null) {
        headers.addAll(List.of("tracestate", trace.traceState()));
      }
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        Answer a = link(instance).exchange("POST", ApiPaths.TX_PARTICIPANT, headers, JSON.writeValueAsBytes(body), timeout);
        String text = new String(a.body(), StandardCharsets.UTF_8);
        return switch (a.status()) {
          case 200 -> new Result(Kind.DONE, null, 200);
          case 409 -> new Result(Kind.REFUSED, who + " refused " + body.phase() + ": " + detail(text), 409);
          default -> new Result(Kind.RETRY, who + " answered HTTP " + a.status() + ": " + detail(text), a.status());
        };
      } catch (IOException | RuntimeException e) {
        return new Result(Kind.RETRY, who + ": " + describe(e));
      }
    }, executor);
  }

  private Http1Link link(Instance instance) {
    return links.computeIfAbsent(instance.authority(), a -> new Http1Link("participant " + instance.id(),
        URI.create("http://" + a), timeout, IDLE, MAX_IDLE_PER_INSTANCE, MAX_ANSWER));
  }

  /** Closes the links no call used for a while (instances that went away). */
  void sweep() {
    links.values().removeIf(link -> {
      if (link.idleFor(IDLE.multipliedBy(3))) {
        link.close();
        return true;
      }
      return false;
    });
  }

  @Override
  public void close() {
    links.values().forEach(Http1Link::close);
    links.clear();
  }

  private static String detail(String body) {
    if (body == null || body.isBlank()) {
      return "(no body)";
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("detail")) {
        return shorten(n.get("detail").asText());
      }
    } catch (JsonProcessingException e) {
      // not JSON: the text itself
    }
    return shorten(body);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_ERROR ? one : one.substring(0, MAX_ERROR) + "…";
  }
}
