package io.tenantry.client.internal.trace;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts spans as Zipkin v2 JSON ({@link ZipkinJson}) with the JDK HTTP client: to the first of its endpoints that
 * accepts them, with a bearer token if one is set (the control plane's collector). Called by the
 * {@link SpanQueue}'s thread only, never on a call's path. Thread-safe.
 */
final class ZipkinSender implements SpanExporter {
  private static final Logger LOG = LoggerFactory.getLogger(ZipkinSender.class);
  private final List<URI> endpoints;
  private final String bearer; // null: no Authorization header
  private final HttpClient http;
  private final Duration timeout;
  private volatile long lastWarning;

  ZipkinSender(List<URI> endpoints, String bearer, Duration timeout) {
    this.endpoints = List.copyOf(endpoints);
    this.bearer = bearer;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** To the collector of each control plane: {@code <server>/api/v2/spans}, with the client's API key. */
  static ZipkinSender controlPlane(List<URI> servers, String apiKey, Duration timeout) {
    return new ZipkinSender(servers.stream().map(s -> URI.create(s.toString().replaceAll("/+$", "") + "/api/v2/spans"))
        .toList(), apiKey, timeout);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    byte[] body = ZipkinJson.encode(spans);
    String last = null;
    for (URI endpoint : endpoints) {
      HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      try {
        HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return CompletableResultCode.ofSuccess();
        }
        last = endpoint + " answered " + r.statusCode();
        if (r.statusCode() / 100 == 4 && r.statusCode() != 429) {
          break; // the same body and key are refused by every server alike
        }
      } catch (IOException e) {
        last = endpoint + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableResultCode.ofFailure();
      }
    }
    warn(spans.size(), last);
    return CompletableResultCode.ofFailure();
  }

  /** At most one warning a minute: an unreachable collector must not flood the log. */
  private void warn(int spans, String why) {
    long now = System.nanoTime();
    if (lastWarning == 0 || now - lastWarning > Duration.ofMinutes(1).toNanos()) {
      lastWarning = now;
      LOG.warn("could not export {} spans: {}", spans, why);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    if (http instanceof AutoCloseable c) { // JDK 21+
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing the span sender's HTTP client failed", e);
      }
    }
    return CompletableResultCode.ofSuccess();
  }
}
