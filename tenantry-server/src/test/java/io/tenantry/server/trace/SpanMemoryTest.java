package io.tenantry.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.Span;

class SpanMemoryTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SpanMemory memory = new SpanMemory(6, List.of("tenant.id"), new TraceMeters(registry));
  final TraceQueries queries = new TraceQueries(memory, List.of("tenant.id"));

  static Span span(String traceId, String id, String service, String name, String tenant) {
    return Span.newBuilder().traceId(traceId).id(id).name(name).timestamp(1_000_000).duration(10)
        .localEndpoint(Endpoint.newBuilder().serviceName(service).build())
        .remoteEndpoint(Endpoint.newBuilder().serviceName("db").build()).putTag("tenant.id", tenant).build();
  }

  static List<Span> trace(int n, String service, String tenant) {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      spans.add(span(String.format("%016x", n), String.format("%016x", n * 10 + i), service, "op" + n, tenant));
    }
    return spans;
  }

  @Test
  void add_beyondMaxSpans_evictsOldestTracesOfTheLargestNamespace_andTheirNames() {
    memory.add("quiet", trace(1, "a", "t1"), 1);
    memory.add("busy", trace(2, "b", "t2"), 2);
    memory.add("busy", trace(3, "b", "t3"), 3);

    memory.add("busy", trace(4, "c", "t4"), 4);

    assertThat(memory.held()).isEqualTo(6);
    assertThat(queries.trace("busy", "0000000000000002", null)).isEmpty();
    assertThat(queries.trace("quiet", "0000000000000001", null)).hasSize(2);
    assertThat(queries.spanNames("busy", "b", null)).containsExactly("op3");
    assertThat(queries.services("busy", null)).containsExactly("b", "c");
    assertThat(queries.autocompleteValues("busy", "tenant.id", null)).containsExactly("t3", "t4");
    assertThat(registry.get("tenantry.spans.evicted").tag("reason", "size").counter().count()).isEqualTo(2);
  }

  @Test
  void evictArrivedBefore_forgetsOldTracesAndTheirNames_everywhere() {
    memory.add("one", trace(1, "a", "t1"), 100);
    memory.add("two", trace(2, "b", "t2"), 100);
    memory.add("two", trace(3, "c", "t3"), 200);

    memory.evictArrivedBefore(150);

    assertThat(memory.held()).isEqualTo(2);
    assertThat(queries.services("one", null)).isEmpty();
    assertThat(queries.services("two", null)).containsExactly("c");
    assertThat(queries.remoteServices("two", "c", null)).containsExactly("db");
    assertThat(registry.get("tenantry.spans.evicted").tag("reason", "age").counter().count()).isEqualTo(4);
  }

  @Test
  void aTraceGrowsAcrossBatches_andDropForgetsTheNamespace() {
    memory.add("one", trace(1, "a", "t1").subList(0, 1), 1);
    memory.add("one", trace(1, "a", "t1").subList(1, 2), 2);

    assertThat(queries.trace("one", "0000000000000001", null)).hasSize(2);
    assertThat(queries.trace("one", "0000000000000001", "t9")).isEmpty();
    memory.drop("one");
    assertThat(memory.held()).isZero();
    assertThat(queries.services("one", null)).isEmpty();
  }
}
