package io.tenantry.client.internal.resilience;

import io.tenantry.api.Instance;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Outlier ejection of the instances of one called service, as Envoy's: after {@code consecutiveFailures} failed
 * calls in a row (the caller decides what failed: a 5xx, a refused connection, a timeout) an instance is ejected
 * for {@code baseEjection × n}, n being the number of its ejections, at most {@code maxEjection}. It comes back
 * passively when its time is up: the next calls may reach it, and if it fails again it is ejected for longer. n
 * decays by one for every {@link #decayPeriod} the instance stays in rotation. Never more than
 * {@code maxEjectedPercent} of the candidates are ejected, and never all of them.
 *
 * <p>Only instances with a recent failure have an entry (a success costs nothing while none has one, else one map
 * lookup); entries are dropped once their record is clean again, by {@link #retain} when instances leave, and
 * by a sweep when the map reaches {@value #MAX_TRACKED} entries. Thread-safe: state changes of an instance happen
 * under its entry's lock; {@link #healthy} reads without locks and does not allocate while nothing is ejected.
 *
 * <p>Dry-run: ejections are computed and counted but {@link #healthy} never filters.
 */
public final class OutlierEjection {
  static final int MAX_TRACKED = 4096;
  /** Decay of the ejection count: at least this long, or the base ejection if longer. */
  static final long MIN_DECAY_NANOS = Duration.ofSeconds(10).toNanos();

  /** The compiled settings. */
  private record Settings(int consecutiveFailures, long baseNanos, long maxNanos, int maxEjectedPercent,
      long decayNanos, boolean dryRun) {}

  /** What is known of one instance. Guarded by itself but for the volatile reads of the hot path. */
  private static final class Record {
    volatile boolean ejected;
    volatile long ejectedUntil;
    int failures;
    /** Ejections so far, before decay since {@link #ejectedUntil}. */
    int ejections;
    long lastActivity;
  }

  private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();
  private final AtomicInteger ejectedNow = new AtomicInteger();
  private final LongAdder ejections = new LongAdder();
  private final LongAdder wouldEject = new LongAdder();
  private final LongAdder skippedByCap = new LongAdder();
  private final LongSupplier nanoTime;
  /** The size of the last candidate list seen: the pool the cap is a share of. */
  private volatile int poolSize;
  private volatile Settings settings;

  /** @param spec the settings, or null for none (nothing is ever ejected) */
  public OutlierEjection(ResilienceSpec.OutlierDetection spec, boolean dryRun, LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    configure(spec, dryRun);
  }

  /** New settings; the records are kept. Instances ejected stay so until their time is up. */
  public void configure(ResilienceSpec.OutlierDetection spec, boolean dryRun) {
    if (spec == null) {
      settings = null;
      return;
    }
    long base = nanos("baseEjection", spec.baseEjection());
    long max = Math.max(base, nanos("maxEjection", spec.maxEjection()));
    settings = new Settings(spec.consecutiveFailures(), base, max, spec.maxEjectedPercent(),
        Math.max(MIN_DECAY_NANOS, base), dryRun);
  }

  private static long nanos(String field, String text) {
    return DurationText.parse(field, text, Duration.ZERO, Duration.ofDays(1)).toNanos();
  }

  /**
   * The candidates not ejected: {@code candidates} itself (no copy) when none is ejected or in dry-run; else a new
   * list, which keeps some ejected instances if more than {@code maxEjectedPercent} of the candidates (or all of
   * them) are ejected.
   */
  public List<Instance> healthy(List<Instance> candidates) {
    int size = candidates.size();
    if (size != poolSize) {
      poolSize = size;
    }
    if (ejectedNow.get() == 0) {
      return candidates;
    }
    long now = nanoTime.getAsLong();
    int first = 0;
    while (first < size && !isEjected(candidates.get(first), now)) {
      first++;
    }
    Settings s = settings;
    if (first == size || s == null || s.dryRun) {
      return candidates;
    }
    // One pass from the first ejected one, so that a concurrent ejection cannot make the two halves disagree.
    List<Instance> kept = new ArrayList<>(size);
    List<Instance> ejected = new ArrayList<>(size - first);
    for (int i = 0; i < size; i++) {
      Instance c = candidates.get(i);
      (i < first || (i > first && !isEjected(c, now)) ? kept : ejected).add(c);
    }
    // Over the cap (or all of them): the first ejected ones stay in rotation.
    int overCap = ejected.size() - Math.min(ejected.size(), allowedEjections(size, s.maxEjectedPercent));
    for (int i = 0; i < overCap; i++) {
      kept.add(ejected.get(i));
    }
    return kept;
  }

  /** How many of {@code size} candidates may be ejected: the share, and never all. */
  static int allowedEjections(int size, int maxEjectedPercent) {
    return Math.max(0, Math.min(size - 1, size * maxEjectedPercent / 100));
  }

  /** True if ejected now; un-ejects an instance whose time is up. */
  private boolean isEjected(Instance instance, long now) {
    Record r = records.get(instance.id());
    if (r == null || !r.ejected) {
      return false;
    }
    if (now - r.ejectedUntil < 0) {
      return true;
    }
    synchronized (r) {
      if (r.ejected && now - r.ejectedUntil >= 0) {
        r.ejected = false;
        r.failures = 0;
        ejectedNow.decrementAndGet();
      }
      return r.ejected;
    }
  }

  /** The result of a call to {@code instance}. */
  public void onResult(Instance instance, boolean success) {
    if (success && records.isEmpty()) {
      return; // nothing failed lately: the common case costs no lookup
    }
    Settings s = settings;
    String id = instance.id();
    Record r = records.get(id);
    if (success) {
      if (r != null && r.failures != 0) {
        synchronized (r) {
          r.failures = 0;
          r.lastActivity = nanoTime.getAsLong();
        }
      }
      return;
    }
    if (s == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (r == null) {
      r = track(id, now);
    }
    synchronized (r) {
      r.lastActivity = now;
      if (r.ejected || ++r.failures < s.consecutiveFailures) {
        return; // ejected: a late answer of a call started before the ejection
      }
    }
    // Over the threshold. Instances whose time is up but that no call looked at yet must not count against the
    // cap: they are brought back first (outside r's lock: expireDue takes the locks of other records).
    if (!tryEject(id, r, s, now) && (expireDue(now) == 0 || !tryEject(id, r, s, now))) {
      skippedByCap.increment();
    }
  }

  /** Ejects {@code r} if it is still over the threshold and the cap allows; false if the cap did not. */
  private boolean tryEject(String id, Record r, Settings s, long now) {
    synchronized (r) {
      if (r.ejected || r.failures < s.consecutiveFailures || records.get(id) != r) {
        return true; // another thread decided meanwhile, or the instance left (records are removed under lock)
      }
      int allowed = allowedEjections(poolSize, s.maxEjectedPercent);
      int ejectedBefore;
      do { // reserve a place under the cap atomically: two instances may be ejected at the same moment
        ejectedBefore = ejectedNow.get();
        if (ejectedBefore >= allowed) {
          return false; // stays over the threshold: the next failure tries again
        }
      } while (!ejectedNow.compareAndSet(ejectedBefore, ejectedBefore + 1));
      int n = decayed(r, now, s) + 1;
      r.ejections = n;
      r.failures = 0;
      r.ejectedUntil = now + Math.min(s.maxNanos, saturatedTimes(s.baseNanos, n));
      r.ejected = true;
      (s.dryRun ? wouldEject : ejections).increment();
      return true;
    }
  }

  /** The ejections of {@code r} after the decay since it came back. */
  private static int decayed(Record r, long now, Settings s) {
    if (r.ejections == 0) {
      return 0;
    }
    long steps = (now - r.ejectedUntil) / s.decayNanos;
    return (int) Math.max(0, r.ejections - Math.max(0, steps));
  }

  private static long saturatedTimes(long nanos, int n) {
    long product = nanos * n;
    return product / n != nanos || product < 0 ? Long.MAX_VALUE : product;
  }

  private Record track(String id, long now) {
    if (records.size() >= MAX_TRACKED) {
      sweep(now);
    }
    Record fresh = new Record();
    fresh.lastActivity = now; // not quiet: a sweep must not take it before its first failure is counted
    Record existing = records.putIfAbsent(id, fresh);
    return existing == null ? fresh : existing;
  }

  /**
   * Brings back the instances whose time is up but that no call has looked at since (e.g. not among the
   * candidates of recent calls), so that they do not count against the cap. Runs only when the cap is reached.
   *
   * @return how many came back
   */
  private int expireDue(long now) {
    int back = 0;
    for (Record r : records.values()) {
      if (r.ejected && now - r.ejectedUntil >= 0) {
        synchronized (r) {
          if (r.ejected && now - r.ejectedUntil >= 0) {
            r.ejected = false;
            r.failures = 0;
            ejectedNow.decrementAndGet();
            back++;
          }
        }
      }
    }
    return back;
  }

  /** Drops the records with nothing left to remember: not ejected, decayed, no failure for a decay period. */
  private void sweep(long now) {
    Settings s = settings;
    long quiet = s == null ? MIN_DECAY_NANOS : s.decayNanos;
    records.forEach((id, r) -> {
      synchronized (r) {
        if (!r.ejected && now - r.lastActivity >= quiet && (s == null || decayed(r, now, s) == 0)) {
          records.remove(id, r);
        }
      }
    });
  }

  /** Forgets the instances that are no longer registered (call on a change of the service's instances). */
  public void retain(Collection<Instance> current) {
    Set<String> ids = new HashSet<>();
    for (Instance i : current) {
      ids.add(i.id());
    }
    records.forEach((id, r) -> {
      if (!ids.contains(id)) {
        synchronized (r) {
          if (records.remove(id, r) && r.ejected) {
            r.ejected = false;
            ejectedNow.decrementAndGet();
          }
        }
      }
    });
    sweep(nanoTime.getAsLong());
  }

  /** Instances ejected now (in dry-run: that would be). */
  public int ejectedNow() {
    return ejectedNow.get();
  }

  public long ejections() {
    return ejections.sum();
  }

  public long wouldEject() {
    return wouldEject.sum();
  }

  /** Ejections not made because the share of ejected candidates was reached. */
  public long skippedByCap() {
    return skippedByCap.sum();
  }

  int tracked() {
    return records.size();
  }
}
