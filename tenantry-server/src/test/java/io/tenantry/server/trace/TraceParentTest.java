package io.tenantry.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void parse_readsIdsAndTheSampledFlag() {
    TraceParent t = TraceParent.parse(" 00-" + TRACE + "-00f067aa0ba902b7-01 ", "congo=t61rcWkgMzE");
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(t.sampled()).isTrue();
    assertThat(t.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(t.header()).isEqualTo("00-" + TRACE + "-00f067aa0ba902b7-01");
    assertThat(TraceParent.parse("00-" + TRACE + "-00f067aa0ba902b7-00", null).sampled()).isFalse();
  }

  @Test
  void parse_readsALaterVersionWithMoreFields_asVersion00() {
    TraceParent t = TraceParent.parse("cc-" + TRACE + "-00f067aa0ba902b7-09-what-the-future-holds", null);
    assertThat(t.header()).isEqualTo("00-" + TRACE + "-00f067aa0ba902b7-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "ff-" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-01-x",
      "00-" + "4BF92F3577B34DA6A3CE929D0E0E4736" + "-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-" + TRACE + "-0000000000000000-01", "00-" + TRACE + "-00f067aa0ba902b7-0g", "00-" + TRACE + "-00f067aa0ba902b-701",
      "cc-" + TRACE + "-00f067aa0ba902b7-01.extra"})
  void parse_aMalformedTraceparent_isNoContext(String header) {
    assertThat(TraceParent.parse(header, "a=b")).isNull();
  }

  @Test
  void parse_dropsATracestateThatCouldNotBeSentOn_keepsTheTraceparent() {
    String parent = "00-" + TRACE + "-00f067aa0ba902b7-01";
    assertThat(TraceParent.parse(parent, "a=b\r\nX-Injected: 1").traceState()).isNull();
    assertThat(TraceParent.parse(parent, "a=" + "x".repeat(TraceParent.MAX_TRACESTATE)).traceState()).isNull();
    assertThat(TraceParent.parse(parent, "   ").traceState()).isNull();
    assertThat(TraceParent.parse(parent + "x".repeat(600), null)).isNull();
    assertThat(TraceParent.parse(null, "a=b")).isNull();
  }

  @Test
  void child_keepsTraceDecisionAndState_newSpanIdsAreValid() {
    TraceParent t = TraceParent.parse("00-" + TRACE + "-00f067aa0ba902b7-01", "a=b");
    String id = TraceParent.newSpanId();
    assertThat(id).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
    assertThat(t.child(id)).isEqualTo(new TraceParent(TRACE, id, true, "a=b"));
  }
}
