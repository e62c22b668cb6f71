package io.tenantry.server.registry;

import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of lease reaping, with Eureka's two safety nets:
 * <ul>
 *   <li><b>pause compensation</b>: if the pass runs much later than its interval (a GC pause, a
 *   suspended VM), the registry's virtual clock skips the pause, which extends every lease by it
 *   at no cost instead of expiring everyone who could not heartbeat while this process slept;</li>
 *   <li><b>self-preservation</b>: if more than the threshold share of a namespace's instances lapse in
 *   one pass, the fault is more likely ours (a network split) than theirs, so their expiry is held
 *   back until the share falls under the threshold or the hold exceeds its maximum.</li>
 * </ul>
 * Not thread-safe: run by the reaper thread only (and by tests).
 */
final class Reaper {
  /** Expires a lapsed lease; returns false if it was renewed or removed meanwhile. */
  interface Expirer {
    boolean expire(Lease lease, long virtualNow);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

  private final RegistrySettings settings;
  private final Clock clock;
  private final ExpiryWheel wheel;
  private final Expirer expirer;
  private final Set<NamespaceState> holding = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final long intervalMillis;
  /** Total pause compensated so far: virtual time = wall time - credit. */
  private volatile long credit;
  private long lastRun = -1;

  Reaper(RegistrySettings settings, Clock clock, ExpiryWheel wheel, Expirer expirer) {
    this.settings = settings;
    this.clock = clock;
    this.wheel = wheel;
    this.expirer = expirer;
    this.intervalMillis = settings.reaperInterval().toMillis();
  }

  long virtualNow() {
    return clock.millis() - credit;
  }

  void pass() {
    long now = clock.millis();
    if (lastRun >= 0) {
      long late = now - lastRun - intervalMillis;
      if (late > intervalMillis) {
        credit += late;
        LOG.warn("lease reaper ran {} ms late (interval {} ms): a GC pause or a suspended host; "
            + "extending every lease by {} ms instead of expiring instances that could not reach us",
            late + intervalMillis, intervalMillis, late);
      }
    }
    lastRun = now;
    long vnow = now - credit;
    Map<NamespaceState, List<Lease>> lapsed = new IdentityHashMap<>();
    for (Lease lease : wheel.due(vnow)) {
      if (lease.removed) {
        continue;
      }
      if (lease.deadline > vnow) {
        wheel.schedule(lease, lease.deadline); // renewed since it was filed: look again at its new deadline
      } else {
        lapsed.computeIfAbsent(lease.namespace, k -> new java.util.ArrayList<>()).add(lease);
      }
    }
    for (NamespaceState ns : List.copyOf(holding)) {
      if (!lapsed.containsKey(ns)) {
        endHold(ns, "every held lease was renewed or removed");
      }
    }
    lapsed.forEach((ns, leases) -> reap(ns, leases, now, vnow));
  }

  private void reap(NamespaceState ns, List<Lease> leases, long now, long vnow) {
    int count = ns.instances.get();
    boolean massLapse = count >= settings.selfPreservationMinInstances()
        && leases.size() > settings.selfPreservationThreshold() * count;
    if (massLapse) {
      if (ns.holdingSince < 0) {
        ns.holdingSince = now;
        ns.preserving.set(1);
        holding.add(ns);
        LOG.warn("self-preservation in namespace '{}': {} of {} leases lapsed in one pass (threshold {}%); "
            + "holding them back for up to {} in case the fault is ours (a network split) rather than theirs",
            ns.name, leases.size(), count, Math.round(settings.selfPreservationThreshold() * 100),
            settings.selfPreservationMaxHold());
      }
      if (now - ns.holdingSince < settings.selfPreservationMaxHold().toMillis()) {
        leases.forEach(l -> wheel.schedule(l, vnow)); // look again next pass
        return;
      }
      LOG.warn("self-preservation in namespace '{}' gave up after {}: expiring {} held leases",
          ns.name, settings.selfPreservationMaxHold(), leases.size());
      endHold(ns, null);
    } else if (ns.holdingSince >= 0) {
      endHold(ns, leases.size() + " of " + count + " leases lapsed, under the threshold");
    }
    for (Lease lease : leases) {
      if (expirer.expire(lease, vnow)) {
        ns.expirations.increment();
      } else if (!lease.removed) {
        wheel.schedule(lease, lease.deadline);
      }
    }
  }

  private void endHold(NamespaceState ns, String why) {
    if (why != null) {
      LOG.info("self-preservation in namespace '{}' ended: {}", ns.name, why);
    }
    ns.holdingSince = -1;
    ns.preserving.set(0);
    holding.remove(ns);
  }

  /** Forgets a dropped namespace. */
  void forget(NamespaceState ns) {
    holding.remove(ns);
  }
}
