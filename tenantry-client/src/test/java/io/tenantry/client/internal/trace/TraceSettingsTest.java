package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TraceSettingsTest {
  @Test
  void withExport_readsEveryForm() {
    TraceSettings d = TraceSettings.DEFAULT;
    assertThat(d.export()).isEqualTo(TraceSettings.Export.CONTROL_PLANE);
    assertThat(d.withExport("none").export()).isEqualTo(TraceSettings.Export.NONE);
    assertThat(d.withExport(" control-plane ").export()).isEqualTo(TraceSettings.Export.CONTROL_PLANE);
    TraceSettings z = d.withExport("zipkin:http://127.0.0.1:9411/api/v2/spans");
    assertThat(z.export()).isEqualTo(TraceSettings.Export.ZIPKIN);
    assertThat(z.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9411/api/v2/spans"));
    assertThat(d.withExport("otlp:https://collector:4318/v1/traces").export()).isEqualTo(TraceSettings.Export.OTLP);
  }

  @Test
  void withExport_refusesWhatItCannotUse() {
    for (String bad : new String[] {"", "zipkin", "zipkin:", "zipkin:ftp://x/y", "zipkin:not a url", "none:x",
        "jaeger:http://x", "otlp:http://", "ZIPKIN:http://x/y"}) {
      assertThatThrownBy(() -> TraceSettings.DEFAULT.withExport(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceExport").hasMessageContaining("expected");
    }
  }

  @Test
  void sampleRatioAndQueueAreBounded() {
    assertThatThrownBy(() -> TraceSettings.DEFAULT.withSampleRatio(1.01)).hasMessageContaining("0..1");
    assertThatThrownBy(() -> TraceSettings.DEFAULT.withSampleRatio(Double.NaN)).hasMessageContaining("0..1");
    assertThatThrownBy(() -> TraceSettings.DEFAULT.withQueueSize(0)).hasMessageContaining("traceQueueSize");
    assertThat(TraceSettings.DEFAULT.withSampleRatio(0).sampleRatio()).isZero();
  }
}
