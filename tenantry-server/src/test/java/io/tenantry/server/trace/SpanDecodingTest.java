package io.tenantry.server.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Span;
import zipkin2.codec.SpanBytesEncoder;

class SpanDecodingTest {
  static final Span SPAN = Span.newBuilder().traceId("0000000000000001").id("0000000000000002").name("ü✓")
      .putTag("k", "v").addAnnotation(1, "note").build();

  @Test
  void decode_readsJsonAndProto3Alike() {
    assertThat(SpanDecoding.decode(SpanBytesEncoder.JSON_V2.encodeList(List.of(SPAN)), false)).containsExactly(SPAN);
    assertThat(SpanDecoding.decode(SpanBytesEncoder.PROTO3.encodeList(List.of(SPAN)), true)).containsExactly(SPAN);
  }

  @Test
  void decode_saysWhatIsWrong() {
    assertThatThrownBy(() -> SpanDecoding.decode("[{\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceId");
    assertThatThrownBy(() -> SpanDecoding.decode("not json".getBytes(StandardCharsets.UTF_8), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed span list");
    assertThatThrownBy(() -> SpanDecoding.decode(new byte[] {10, 99, 1}, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proto3");
  }

  @Test
  void checkLimits_namesTheSpanAndTheTag() {
    Span longTag = SPAN.toBuilder().putTag("sql", "x".repeat(11)).build();
    Span longNote = SPAN.toBuilder().addAnnotation(2, "y".repeat(11)).build();

    SpanDecoding.checkLimits(List.of(SPAN), 10);
    assertThatThrownBy(() -> SpanDecoding.checkLimits(List.of(SPAN, longTag), 10))
        .hasMessage("span 1 (traceId 0000000000000001, id 0000000000000002): tag 'sql' has 11 characters (expected: at most 10)");
    assertThatThrownBy(() -> SpanDecoding.checkLimits(List.of(longNote), 10)).hasMessageContaining("an annotation");
  }
}
