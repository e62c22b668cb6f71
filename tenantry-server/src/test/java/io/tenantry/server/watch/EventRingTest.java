package io.tenantry.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventRingTest {
  @Test
  void add_growsThenEvictsOldest() {
    EventRing ring = new EventRing(40);
    for (long r = 1; r <= 50; r++) {
      FeedEvent evicted = ring.add(new FeedEvent(r * 2, "instance", "order", new byte[0]));
      assertThat(evicted == null ? 0 : evicted.revision()).isEqualTo(r <= 40 ? 0 : (r - 40) * 2);
    }
    assertThat(ring.size()).isEqualTo(40);
    assertThat(ring.after(0)).hasSize(40).first().extracting(FeedEvent::revision).isEqualTo(22L);
    assertThat(ring.after(97)).extracting(FeedEvent::revision).containsExactly(98L, 100L);
    assertThat(ring.after(100)).isEmpty();
  }
}
