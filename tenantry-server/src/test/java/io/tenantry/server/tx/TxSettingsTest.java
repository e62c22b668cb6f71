package io.tenantry.server.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TxSettingsTest {
  @Test
  void defaults_areTheDocumentedOnes() {
    TxSettings d = TxSettings.DEFAULTS;

    assertThat(d.retryBaseBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(d.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.sagaMaxAttempts()).isEqualTo(20);
    assertThat(d.phaseTwoTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(d.scanInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badValues_areRefused_namingTheKeyAndWhatWasExpected() {
    assertThatThrownBy(() -> TxSettings.DEFAULTS.withSagaMaxAttempts(0))
        .hasMessage("tx.saga-max-attempts: 0 (expected: >= 1)");
    assertThatThrownBy(() -> TxSettings.DEFAULTS.withRetryMaxBackoff(Duration.ofMillis(100)))
        .hasMessageStartingWith("tx.retry-max-backoff: PT0.1S (expected: >= tx.retry-base-backoff");
    assertThatThrownBy(() -> TxSettings.DEFAULTS.withPhaseTwoTimeout(Duration.ZERO))
        .hasMessageStartingWith("tx.phase-two-timeout");
    assertThatThrownBy(() -> TxSettings.DEFAULTS.withRetention(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("tx.retention");
  }
}
