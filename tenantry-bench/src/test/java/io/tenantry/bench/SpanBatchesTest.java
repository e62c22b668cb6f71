package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/** The batches are valid Zipkin v2 JSON (read by Zipkin's own codec), realistic, repeatable and unique. */
class SpanBatchesTest {
  private static final long BASE_MICROS = 1_764_000_000_000_000L;
  private final SpanBatches batches = new SpanBatches(new Requests("127.0.0.1:9411", "Bearer k", null), 50,
      0x1234_5678_9abc_def0L, BASE_MICROS);

  private static List<Span> spans(byte[] request) {
    String text = new String(request, StandardCharsets.US_ASCII);
    int body = text.indexOf("\r\n\r\n") + 4;
    assertThat(text).startsWith("POST /api/v2/spans HTTP/1.1\r\n")
        .contains("Content-Type: application/json\r\n", "Content-Length: " + (request.length - body) + "\r\n");
    return SpanBytesDecoder.JSON_V2.decodeList(Arrays.copyOfRange(request, body, request.length));
  }

  @Test
  void batch_holdsWholeTracesOfClientServerPairs_taggedWithTenants() {
    List<Span> spans = spans(batches.request(7));

    assertThat(spans).hasSize(50);
    Map<String, List<Span>> traces = spans.stream().collect(Collectors.groupingBy(Span::traceId));
    assertThat(traces).hasSize(10);
    for (int t = 0; t < 10; t++) {
      List<Span> trace = traces.get(batches.traceId(7, t));
      assertThat(trace).as("trace " + t).hasSize(5);
      assertThat(trace).filteredOn(s -> s.parentId() == null).singleElement()
          .satisfies(root -> assertThat(root.localServiceName()).isEqualTo("gateway"));
      // each hop: the caller's client span and the callee's server span share one id
      assertThat(trace).filteredOn(s -> Boolean.TRUE.equals(s.shared())).hasSize(2).allSatisfy(server ->
          assertThat(trace).anySatisfy(client -> {
            assertThat(client.id()).isEqualTo(server.id());
            assertThat(client.kind()).isEqualTo(Span.Kind.CLIENT);
            assertThat(client.remoteServiceName()).isEqualTo(server.localServiceName());
          }));
      assertThat(trace).extracting(Span::timestamp).allSatisfy(ts -> assertThat(ts).isBetween(BASE_MICROS,
          BASE_MICROS + 1_000_000));
    }
    // ten traces, ten tenants of the twelve
    assertThat(spans.stream().map(s -> s.tags().get("tenant.id")).collect(Collectors.toSet())).hasSize(10)
        .isSubsetOf(allTenants());
    assertThat(spans).extracting(Span::localServiceName).containsOnly("gateway", "order", "payment");
  }

  @Test
  void sameBatch_isTheSameBytes_andIdsAreUniqueAcrossBatches() {
    assertThat(batches.request(3)).isEqualTo(batches.request(3));
    Set<String> traceIds = new HashSet<>();
    Set<String> spanIds = new HashSet<>();
    List<Long> timestamps = new ArrayList<>();
    for (long n = 0; n < 200; n++) {
      for (Span s : spans(batches.request(n))) {
        traceIds.add(s.traceId());
        if (!Boolean.TRUE.equals(s.shared())) {
          assertThat(spanIds.add(s.id())).as("span id " + s.id() + " seen before").isTrue();
        }
        if (s.parentId() == null) {
          timestamps.add(s.timestamp());
        }
      }
    }
    assertThat(traceIds).hasSize(2_000).allSatisfy(id -> assertThat(id).hasSize(32).startsWith("123456789abcdef0"));
    assertThat(timestamps).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void batchSize_mustHoldWholeTraces() {
    assertThatThrownBy(() -> new SpanBatches(new Requests("h", null, null), 12, 1, BASE_MICROS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 5");
    assertThat(new SpanBatches(new Requests("h", null, null), 10, 1, BASE_MICROS).spansPerBatch()).isEqualTo(10);
  }

  private static Set<String> allTenants() {
    Set<String> tenants = new HashSet<>();
    for (int i = 0; i < SpanBatches.TENANTS; i++) {
      tenants.add(String.format("tenant-%02d", i));
    }
    return tenants;
  }
}
