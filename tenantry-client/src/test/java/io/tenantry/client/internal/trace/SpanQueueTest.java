package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpanQueueTest {
  /** Blocks its first export until released; counts what it is given. */
  private static final class SlowExporter implements SpanExporter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger spans = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      spans.addAndGet(batch.size());
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
  }

  @Test
  void fullQueue_dropsAndCounts_neverBlocksTheCaller_thenShutdownExportsTheRest() throws Exception {
    SlowExporter exporter = new SlowExporter();
    SpanQueue queue = new SpanQueue(exporter, 2, "test-spans");
    SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).addSpanProcessor(queue)
        .build();
    Tracer tracer = provider.get("test");
    tracer.spanBuilder("first").startSpan().end();
    assertThat(exporter.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the worker is stuck in export
    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      tracer.spanBuilder("s" + i).startSpan().end();
    }
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    assertThat(queue.dropped.sum()).isEqualTo(8);
    exporter.release.countDown();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(exporter.spans.get()).isEqualTo(3);
    assertThat(queue.exported.sum()).isEqualTo(3);
  }

  @Test
  void unsampledSpans_areNotQueued() {
    SlowExporter exporter = new SlowExporter();
    exporter.release.countDown();
    SpanQueue queue = new SpanQueue(exporter, 4, "test-spans");
    SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).addSpanProcessor(queue)
        .build();
    provider.get("test").spanBuilder("x").startSpan().end();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(exporter.spans.get()).isZero();
    assertThat(queue.dropped.sum()).isZero();
  }
}
