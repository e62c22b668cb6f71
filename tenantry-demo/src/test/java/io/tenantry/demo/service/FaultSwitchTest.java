package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import java.time.Duration;
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
  void set_changesOnlyTheFieldsGiven() {
    double[] draw = {0.2};
    FaultSwitch faults = new FaultSwitch(0.1, () -> draw[0]);

    faults.set(new FaultSwitch.Setting(null, true, "3s", 0.25));
    assertThat(faults.current()).isEqualTo(new FaultSwitch.Setting(0.1, true, "3s", 0.25));
    assertThat(faults.haltsAfterTry()).isTrue();
    assertThat(faults.slowTryNow()).as("0.2 is below 0.25").isEqualTo(Duration.ofSeconds(3));
    draw[0] = 0.3;
    assertThat(faults.slowTryNow()).isZero();

    faults.set(new FaultSwitch.Setting(null, false, null, null));
    assertThat(faults.current()).isEqualTo(new FaultSwitch.Setting(0.1, false, "3s", 0.25));
  }

  @Test
  void set_refusesWhatIsOutOfRange_andAnEmptySetting() {
    FaultSwitch faults = new FaultSwitch(0, () -> 0.0);
    assertThatThrownBy(() -> faults.set(1.5)).isInstanceOf(ValidationException.class).hasMessageContaining("failRate");
    assertThatThrownBy(() -> new FaultSwitch.Setting(null, null, null, null)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new FaultSwitch.Setting(null, null, "61s", null)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("slowTry");
    assertThatThrownBy(() -> new FaultSwitch.Setting(null, null, null, -0.1)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("slowTryRate");
    assertThat(faults.failRate()).isZero();
  }
}
