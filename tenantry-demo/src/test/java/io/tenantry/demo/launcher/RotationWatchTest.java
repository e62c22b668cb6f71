package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.demo.launcher.RotationWatch.Episode;
import io.tenantry.demo.launcher.RotationWatch.Tracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotationWatchTest {
  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }

  @Test
  void tracker_seesAStretchWithoutCallsToTheWatchedInstance_whileOthersAreCalled() {
    List<Episode> episodes = new ArrayList<>();
    Tracker t = new Tracker("order-1", episodes);
    t.sample(ms(0), 10, 10);
    t.sample(ms(250), 12, 12);    // in rotation
    t.sample(ms(500), 12, 16);    // out: 4 calls elsewhere, none to it
    t.sample(ms(750), 12, 20);
    t.sample(ms(1000), 12, 22);
    t.sample(ms(1250), 12, 24);
    t.sample(ms(1500), 13, 25);   // back after 1.25 s

    assertThat(episodes).containsExactly(new Episode("order-1", ms(250), ms(1500), 12));
  }

  @Test
  void tracker_ignoresQuietStretches_andCallersThatNeverCalledIt() {
    List<Episode> episodes = new ArrayList<>();
    Tracker quiet = new Tracker("order-1", episodes);
    quiet.sample(ms(0), 5, 5);
    quiet.sample(ms(250), 5, 6);  // only one call elsewhere: too few to tell
    quiet.sample(ms(500), 5, 6);  // no traffic at all (an open breaker, or none sent)
    Tracker dedicated = new Tracker("order-acme", episodes);
    dedicated.sample(ms(0), 0, 0);
    dedicated.sample(ms(250), 0, 10); // never called it: it is not in this caller's pool
    Tracker brief = new Tracker("order-2", episodes);
    brief.sample(ms(0), 5, 5);
    brief.sample(ms(250), 5, 10);
    brief.sample(ms(500), 5, 15);
    brief.sample(ms(750), 6, 16);  // 0.5 s without it: load balancing, not an ejection

    assertThat(episodes).isEmpty();
  }
}
