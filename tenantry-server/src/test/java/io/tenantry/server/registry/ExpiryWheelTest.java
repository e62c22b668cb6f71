package io.tenantry.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ExpiryWheelTest {
  private final NamespaceState ns = new NamespaceState("shop", new SimpleMeterRegistry());
  private final ServiceState svc = new ServiceState("order");

  private Lease lease(String id, long deadline) {
    Lease l = new Lease(ns, svc, id);
    l.deadline = deadline;
    return l;
  }

  @Test
  void due_handsOutOnlyLeasesWhoseTickHasCome() {
    ExpiryWheel wheel = new ExpiryWheel(1000, 60_000, 0);
    Lease soon = lease("a", 2_500);
    Lease later = lease("b", 30_000);
    wheel.schedule(soon, soon.deadline);
    wheel.schedule(later, later.deadline);
    assertThat(wheel.due(2_000)).isEmpty();
    assertThat(wheel.due(3_000)).containsExactly(soon);
    assertThat(wheel.due(29_000)).isEmpty();
    assertThat(wheel.due(30_000)).containsExactly(later);
  }

  @Test
  void refiledOrRemovedLeases_areSkipped_andFarDeadlinesSurviveWraparound() {
    ExpiryWheel wheel = new ExpiryWheel(1000, 10_000, 0); // 64 slots
    Lease refiled = lease("a", 2_000);
    wheel.schedule(refiled, 2_000);
    wheel.schedule(refiled, 5_000);
    Lease removed = lease("b", 2_000);
    wheel.schedule(removed, 2_000);
    removed.removed = true;
    Lease far = lease("c", 200_000); // beyond one turn of the wheel
    wheel.schedule(far, 200_000);
    assertThat(wheel.due(2_000)).isEmpty();
    assertThat(wheel.due(5_000)).containsExactly(refiled);
    for (long t = 6_000; t < 200_000; t += 1_000) {
      assertThat(wheel.due(t)).isEmpty();
    }
    assertThat(wheel.due(200_000)).containsExactly(far);
  }
}
