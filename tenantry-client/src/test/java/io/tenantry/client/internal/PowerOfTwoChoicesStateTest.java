package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.Instance;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The balancer's per-instance state: keyed by service and id, bounded, busy instances kept. */
class PowerOfTwoChoicesStateTest {
  @Test
  void stateFollowsTheInstanceIdAcrossNewRecords() {
    PowerOfTwoChoicesBalancer lb = new PowerOfTwoChoicesBalancer();
    Instance a = up("a");
    lb.onStart(a);
    Instance sameIdNewRevision = up("a");
    assertThat(sameIdNewRevision).isNotSameAs(a);
    assertThat(lb.inFlight(sameIdNewRevision)).isEqualTo(1);
    lb.onFinish(sameIdNewRevision, Duration.ofMillis(1), true);
    assertThat(lb.inFlight(a)).isZero();
    assertThat(lb.tracked()).isEqualTo(1);
  }

  @Test
  void pastTheBoundIdleInstancesAreForgottenButBusyOnesKept() {
    PowerOfTwoChoicesBalancer lb = new PowerOfTwoChoicesBalancer();
    Instance busy = up("busy");
    lb.onStart(busy);
    for (int i = 0; i < PowerOfTwoChoicesBalancer.MAX_TRACKED + 5; i++) {
      Instance idle = up("idle-" + i);
      lb.onStart(idle);
      lb.onFinish(idle, Duration.ofMillis(1), true);
    }
    assertThat(lb.tracked()).isBetween(1, PowerOfTwoChoicesBalancer.MAX_TRACKED);
    assertThat(lb.inFlight(busy)).isEqualTo(1);
  }
}
