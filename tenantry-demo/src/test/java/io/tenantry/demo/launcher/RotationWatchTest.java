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
  void tracker_seesTheWatchedInstanceOut_whileTheSdkHasOneEjected_andTheCallerSendsItNothing() {
    List<Episode> episodes = new ArrayList<>();
    Tracker t = new Tracker("order-1", episodes);
    t.sample(ms(0), 10, 10, 0);
    t.sample(ms(250), 12, 12, 0);    // in rotation
    t.sample(ms(500), 12, 16, 1);    // ejected: 4 calls elsewhere, none to it
    t.sample(ms(750), 12, 20, 1);
    t.sample(ms(1000), 12, 22, 0);   // its time is up
    t.sample(ms(1250), 14, 24, 0);

    assertThat(episodes).containsExactly(new Episode("order-1", ms(500), ms(1000), 8));
  }

  @Test
  void tracker_endsTheStretch_whenTheCallerCallsItAgain() {
    List<Episode> episodes = new ArrayList<>();
    Tracker t = new Tracker("order-2", episodes);
    t.sample(ms(0), 3, 3, 0);
    t.sample(ms(250), 3, 5, 1);
    t.sample(ms(500), 4, 6, 1);      // called again (the SDK lets it back lazily)

    assertThat(episodes).containsExactly(new Episode("order-2", ms(250), ms(500), 2));
  }

  @Test
  void tracker_ignoresGapsWithoutAnEjection_anotherInstancesEjection_andCallersThatNeverCalledIt() {
    List<Episode> episodes = new ArrayList<>();
    Tracker gap = new Tracker("order-1", episodes);
    gap.sample(ms(0), 5, 5, 0);
    gap.sample(ms(250), 5, 10, 0);   // no call to it, but nothing ejected: load balancing
    Tracker other = new Tracker("order-2", episodes);
    other.sample(ms(0), 5, 5, 0);
    other.sample(ms(250), 7, 5, 1);  // something is ejected, but it is still called: another instance
    Tracker dedicated = new Tracker("order-acme", episodes);
    dedicated.sample(ms(0), 0, 0, 0);
    dedicated.sample(ms(250), 0, 10, 1); // never called it: it is not in this caller's pool

    assertThat(episodes).isEmpty();
  }
}
