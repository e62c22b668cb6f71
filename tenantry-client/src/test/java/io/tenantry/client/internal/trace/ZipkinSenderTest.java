package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against a real HTTP endpoint that answers what each test scripts. */
class ZipkinSenderTest {
  private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger posts = new AtomicInteger();
  private final HttpServer server = start();

  private HttpServer start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/api/v2/spans", exchange -> {
        try (exchange) {
          exchange.getRequestBody().readAllBytes();
          posts.incrementAndGet();
          Integer status = answers.poll();
          int answer = status == null ? 202 : status;
          if (answer == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
          }
          exchange.sendResponseHeaders(answer, -1);
        }
      });
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ZipkinSender sender() {
    return new ZipkinSender(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans")),
        null, Duration.ofSeconds(5));
  }

  private static List<SpanData> oneSpan() {
    List<SpanData> spans = new ArrayList<>();
    SpanExporter capture = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(capture))
        .build()) {
      provider.get("test").spanBuilder("pay").startSpan().end();
    }
    return spans;
  }

  @Test
  void a503IsTriedOnceMore_afterItsRetryAfter_soABurstIsNotLost() {
    answers.add(503);
    long start = System.nanoTime();

    CompletableResultCode result = sender().export(oneSpan()).join(10, TimeUnit.SECONDS);

    assertThat(result.isSuccess()).isTrue();
    assertThat(posts).hasValue(2);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
  }

  @Test
  void twice503_failsTheBatch_afterOneRetryOnly() {
    answers.add(503);
    answers.add(503);

    assertThat(sender().export(oneSpan()).join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(posts).hasValue(2);
  }

  @Test
  void a400IsNotRetried() {
    answers.add(400);

    assertThat(sender().export(oneSpan()).join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(posts).hasValue(1);
  }

  @Test
  void retryAfter_isBoundedAndDefaulted() {
    assertThat(ZipkinSender.retryAfterMillis("1")).isEqualTo(1000);
    assertThat(ZipkinSender.retryAfterMillis("0")).isEqualTo(100);
    assertThat(ZipkinSender.retryAfterMillis("3600")).isEqualTo(2000);
    assertThat(ZipkinSender.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(500);
    assertThat(ZipkinSender.retryAfterMillis(null)).isEqualTo(500);
  }
}
