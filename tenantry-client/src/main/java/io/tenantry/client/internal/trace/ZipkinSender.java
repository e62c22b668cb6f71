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
    for (int round = 0; round < 2; round++) {
      long retryAfterMillis = -1; // set when a collector asked to be tried again shortly (503, 429)
      boolean refused = false; // a 4xx: the same body and key are refused by every server alike
      for (URI endpoint : endpoints) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
          b.header("Authorization", "Bearer " + bearer);
        }
        try {
          HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
          int status = r.statusCode();
          if (status / 100 == 2) {
            return CompletableResultCode.ofSuccess();
          }
          last = endpoint + " answered " + status;
          if (status == 503 || status == 429) {
            retryAfterMillis = retryAfterMillis(r.headers().firstValue("Retry-After").orElse(null));
          } else if (status / 100 == 4) {
            refused = true;
            break;
          }
        } catch (IOException e) {
          last = endpoint + ": " + e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return CompletableResultCode.ofFailure();
        }
      }
      if (refused || round > 0 || retryAfterMillis < 0) {
        break;
      }
      try {
        // once, on the export thread (never a call's): an overloaded collector sheds a burst, not the batch
        Thread.sleep(retryAfterMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableResultCode.ofFailure();
      }
    }
    warn(spans.size(), last);
    return CompletableResultCode.ofFailure();
  }

  /** The wait a {@code Retry-After} of seconds asks for, within 100 ms and 2 s (500 ms when absent or a date). */
  static long retryAfterMillis(String header) {
    if (header != null && header.trim().matches("\\d{1,4}")) {
      return Math.max(100, Math.min(2000, Long.parseLong(header.trim()) * 1000));
    }
    return 500;
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
