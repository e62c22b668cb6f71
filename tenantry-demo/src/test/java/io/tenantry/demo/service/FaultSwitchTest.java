package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import org.junit.jupiter.api.Test;

class FaultSwitchTest {
  @Test
  void failsNow_followsTheRateSetWhileRunning() {
    double[] draw = {0.5};
    FaultSwitch faults = new FaultSwitch(0.1, () -> draw[0]);
    assertThat(faults.failsNow()).isFalse(); // 0.5 is not below 0.1

    faults.set(1.0);
    assertThat(faults.failsNow()).isTrue();
    draw[0] = 0.999;
    assertThat(faults.failsNow()).as("an outage fails every call").isTrue();

    faults.set(0);
    draw[0] = 0.0;
    assertThat(faults.failsNow()).as("0 never fails").isFalse();
  }

  @Test
  void set_refusesARateOutsideZeroToOne() {
    FaultSwitch faults = new FaultSwitch(0, () -> 0.0);
    assertThatThrownBy(() -> faults.set(1.5)).isInstanceOf(ValidationException.class).hasMessageContaining("failRate");
    assertThatThrownBy(() -> new FaultSwitch.Setting(null)).isInstanceOf(ValidationException.class);
    assertThat(faults.failRate()).isZero();
  }
}
