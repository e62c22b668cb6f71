package io.tenantry.server.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.Json;
import io.tenantry.api.tx.PhaseTwoRequest;
import io.tenantry.server.trace.TraceParent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends one phase-two request to one participant instance and classifies the answer: 200 done, 409 refused for
 * good, anything else (or no answer in time) to be retried. Never fails its future. Thread-safe.
 */
final class PhaseTwoCall {
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

  private final HttpClient http;
  private final Duration timeout;

  PhaseTwoCall(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * Sends {@code body} to {@code instance}.
   *
   * @param trace the trace context to carry ({@code traceparent}, {@code tracestate}), or null
   */
  CompletableFuture<Result> send(Instance instance, PhaseTwoRequest body, String token, TraceParent trace) {
    HttpRequest request;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + instance.authority() + ApiPaths.TX_PARTICIPANT))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token)
          .header(Headers.CALLER, PhaseTwoSpans.SERVICE) // the participant's span names its caller
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (trace != null) {
        b.header("traceparent", trace.header());
        if (trace.traceState() != null) {
          b.header("tracestate", trace.traceState());
        }
      }
      request = b.build();
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Result(Kind.RETRY, "cannot address " + instance.id() + ": " + e.getMessage()));
    }
    String who = instance.id() + " (" + instance.authority() + ")";
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> switch (r.statusCode()) {
          case 200 -> new Result(Kind.DONE, null, 200);
          case 409 -> new Result(Kind.REFUSED, who + " refused " + body.phase() + ": " + detail(r.body()), 409);
          default -> new Result(Kind.RETRY, who + " answered HTTP " + r.statusCode() + ": " + detail(r.body()),
              r.statusCode());
        })
        .exceptionally(e -> new Result(Kind.RETRY, who + ": " + describe(e)));
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

  private static String describe(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_ERROR ? one : one.substring(0, MAX_ERROR) + "…";
  }
}
