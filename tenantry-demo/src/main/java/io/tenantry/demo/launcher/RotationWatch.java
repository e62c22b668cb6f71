package io.tenantry.demo.launcher;

import io.tenantry.api.Instance;
import io.tenantry.demo.launcher.StatsCollector.InstanceStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sees when one upstream instance (the demo's failing {@code payment-2}) is out of its callers' rotation
 * and when it is back. Every {@link #SAMPLE_EVERY} it reads each shared caller's {@code /stats}: the
 * attempts its governed client sent to each upstream instance (counted by its {@code CallObserver}) and
 * what its SDK says of the called service ({@code ejectedNow}, from its policy effects); and the watched
 * instance's own (its charges). A caller has the watched instance out of rotation from the first reading
 * in which its SDK has an instance of the service ejected and the caller sent the watched one nothing
 * while it kept calling the others, until a reading in which it calls it again or has nothing ejected. Both facts must hold: the SDK's
 * word alone does not say which instance it ejected, and a gap in calls alone may be load balancing.
 * The times are as exact as the readings ({@link #SAMPLE_EVERY}). Thread-safe.
 */
final class RotationWatch implements AutoCloseable {
  static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
  /**
   * One stretch during which {@code caller} sent the watched instance nothing.
   *
   * @param from           the first reading that saw it out
   * @param to             when it called it again, or null if it had not by the end
   * @param callsElsewhere attempts the caller sent the service's other instances meanwhile
   */
  record Episode(String caller, Duration from, Duration to, long callsElsewhere) {
    Duration length() {
      return to == null ? null : to.minus(from);
    }
  }

  /** What one caller did, sample by sample. Not thread-safe: used by the sampling thread only. */
  static final class Tracker {
    private final String caller;
    private final List<Episode> episodes;
    private long lastWatched = -1;
    private long lastOthers;
    private boolean everCalled;
    private Duration outSince;
    private long elsewhere;

    Tracker(String caller, List<Episode> episodes) {
      this.caller = caller;
      this.episodes = episodes;
    }

    /**
     * A reading at {@code at}: attempts sent so far to the watched instance and to the service's others,
     * and how many of the service's instances the caller's SDK has ejected now.
     */
    void sample(Duration at, long watched, long others, long ejectedNow) {
      if (lastWatched >= 0) {
        long dWatched = watched - lastWatched;
        long dOthers = others - lastOthers;
        if (outSince == null) {
          if (everCalled && ejectedNow > 0 && dWatched == 0 && dOthers > 0) {
            outSince = at;
            elsewhere = dOthers;
          }
        } else if (dWatched > 0 || ejectedNow == 0) {
          episodes.add(new Episode(caller, outSince, at, elsewhere));
          outSince = null;
        } else {
          elsewhere += dOthers;
        }
      }
      everCalled |= watched > 0;
      lastWatched = watched;
      lastOthers = others;
    }
  }

  private final StatsCollector stats;
  private final Supplier<List<Instance>> callers;
  private final Supplier<List<Instance>> upstream;
  private final String service;
  private final String watched;
  private final Instant origin;
  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
  private final List<Episode> episodes = new ArrayList<>();
  private final List<long[]> charges = new ArrayList<>(); // {millis since origin, charges so far}
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rotation-watch");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param callers  the calling service's instances now (the dedicated ones are skipped)
   * @param upstream the called service's instances now (to find the watched one)
   * @param service  the called service, e.g. payment
   * @param watched  the instance watched, e.g. payment-2
   * @param origin   time zero of the reported times (the start of traffic)
   */
  RotationWatch(StatsCollector stats, Supplier<List<Instance>> callers, Supplier<List<Instance>> upstream,
      String service, String watched, Instant origin) {
    this.stats = stats;
    this.callers = callers;
    this.upstream = upstream;
    this.service = service;
    this.watched = watched;
    this.origin = origin;
  }

  void start() {
    sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      for (Instance caller : callers.get()) {
        if (caller.tenant() != null) {
          continue; // a dedicated instance never calls a shared one
        }
        InstanceStats s = stats.fetch(caller.authority());
        if (s != null) {
          Duration at = Duration.between(origin, Instant.now());
          long toWatched = s.sumPrefix("calls." + service + "." + watched);
          long toAll = s.sumPrefix("calls." + service + ".");
          long ejectedNow = s.effect("resilience", service, "caller", "ejectedNow");
          synchronized (this) {
            trackers.computeIfAbsent(caller.id(), id -> new Tracker(id, episodes)).sample(at, toWatched, toAll - toWatched,
                ejectedNow);
          }
        }
      }
      for (Instance i : upstream.get()) {
        if (i.id().equals(watched)) {
          InstanceStats s = stats.fetch(i.authority());
          if (s != null) {
            synchronized (this) {
              charges.add(new long[] {Duration.between(origin, Instant.now()).toMillis(), s.sum("charges")});
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // a sample lost (an instance going away); the next one counts
    }
  }

  /** Every stretch seen so far (the open ones as open), by start. */
  synchronized List<Episode> episodes() {
    List<Episode> out = new ArrayList<>(episodes);
    trackers.values().forEach(t -> {
      if (t.outSince != null) {
        out.add(new Episode(t.caller, t.outSince, null, t.elsewhere));
      }
    });
    out.sort(Comparator.comparing(Episode::from));
    return out;
  }

  /**
   * The first time at or after {@code since} at which the watched instance had charged more than it had
   * at {@code since} (it served a payment), and how many it charged from then on; null if it did not.
   */
  synchronized ServingAgain servingAgain(Duration since) {
    long base = -1;
    long sinceMillis = since.toMillis();
    for (long[] c : charges) {
      if (c[0] < sinceMillis) {
        base = c[1];
      } else if (base < 0) {
        base = c[1];
      } else if (c[1] > base) {
        long last = charges.get(charges.size() - 1)[1];
        return new ServingAgain(Duration.ofMillis(c[0]), last - base);
      }
    }
    return null;
  }

  /** When the watched instance served payments again, and how many it charged since {@code since}. */
  record ServingAgain(Duration at, long chargesSince) {}

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
