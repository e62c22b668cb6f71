package io.tenantry.server.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TraceSettingsTest {
  @Test
  void badValues_nameTheKeyAndWhatWasExpected() {
    TraceSettings d = TraceSettings.defaults();
    assertThatThrownBy(() -> TraceSettings.Storage.of("disk")).hasMessage("trace.storage: 'disk' (expected: memory or store)");
    assertThatThrownBy(() -> d.withRetention(Duration.ZERO)).hasMessage("trace.retention: PT0S (expected: > 0)");
    assertThatThrownBy(() -> d.withMaxSpans(0)).hasMessage("trace.max-spans: 0 (expected: >= 1)");
    assertThatThrownBy(() -> d.withMaxBodyBytes(10)).hasMessage("trace.max-body: 10 (expected: >= 1024)");
    assertThatThrownBy(() -> d.withIntakeSpans(0)).hasMessageStartingWith("trace.intake-spans: 0");
    assertThatThrownBy(() -> d.withIntakeWait(Duration.ofMillis(-1))).hasMessageStartingWith("trace.intake-wait: PT-0.001S");
    assertThatThrownBy(() -> d.withIntakeWait(Duration.ofSeconds(11))).hasMessageStartingWith("trace.intake-wait: PT11S");
    assertThatThrownBy(() -> d.withMaxTagLength(0)).hasMessageStartingWith("trace.max-tag-length: 0");
  }

  @Test
  void sweepInterval_isATenthOfTheRetention_within100msAndAMinute() {
    TraceSettings d = TraceSettings.defaults();
    assertThat(TraceSettings.Storage.of(" Memory ")).isEqualTo(TraceSettings.Storage.MEMORY);
    assertThat(d.withRetention(Duration.ofSeconds(10)).sweepInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.withRetention(Duration.ofMillis(50)).sweepInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
  }
}
