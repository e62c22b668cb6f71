package io.tenantry.client.internal.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buckets of one limit, one per key (tenant, tier or caller id), bounded: keys come from requests,
 * and hostile ids must not grow memory without bound.
 *
 * <p>When {@code maxKeys} buckets exist and a new key arrives, the store sweeps (at most once a second):
 * a local bucket that is full again is removed, since a new bucket would start in the very same state;
 * a remote bucket (its state lives in the backend) is removed if it was not used since the last sweep.
 * If the sweep frees nothing, the new key shares one overflow bucket sized by the limit's defaults, so a
 * flood of new ids is limited together, never unlimited, and memory stays at {@code maxKeys + 1} buckets.
 *
 * <p>Lookups are allocation-free; creating a bucket is not. Thread-safe; survives reconfiguration
 * (a new compiled limit takes over the store of the one it replaces).
 */
final class KeyedBuckets {
  static final String OVERFLOW_KEY = "*overflow*";
  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  /** Makes the bucket of one key. */
  interface Factory {
    Bucket create(String key, BucketConfiguration configuration);

    /** True if a bucket's whole state is in this process (so a full one may be dropped). */
    boolean local();
  }

  /** One key's bucket and what the compiled limit last applied to it. Fields other than key/bucket are guarded by the entry. */
  static final class Entry {
    final String key;
    final Bucket bucket;
    /** The compiled limit that last checked {@link #configuration}; another one re-resolves it. */
    volatile Object owner;
    /** The tier the configuration was resolved for (limits by tenant with tier overrides). */
    volatile String tier;
    BucketConfiguration configuration;
    /** The rendered 429 body, valid for {@link #owner}; null until the first refusal. */
    volatile byte[] body;
    /** Used since the last sweep (remote buckets only). */
    boolean touched = true;

    Entry(String key, Bucket bucket, BucketConfiguration configuration) {
      this.key = key;
      this.bucket = bucket;
      this.configuration = configuration;
    }
  }

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final Factory factory;
  private final int maxKeys;
  private final TimeMeter time;
  private final AtomicLong nextSweep;
  private volatile Entry overflow;

  KeyedBuckets(Factory factory, int maxKeys, TimeMeter time) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 1)");
    }
    this.factory = factory;
    this.maxKeys = maxKeys;
    this.time = time;
    this.nextSweep = new AtomicLong(time.currentTimeNanos());
  }

  /** The entry of {@code key}, or null if it has none yet. Allocation-free. */
  Entry find(String key) {
    Entry e = entries.get(key);
    if (e != null && !e.touched) {
      e.touched = true;
    }
    return e;
  }

  /**
   * The entry of {@code key}, created with {@code configuration} if missing; if the store is full and a
   * sweep frees nothing, the overflow entry (created with {@code overflowConfiguration}).
   */
  Entry create(String key, BucketConfiguration configuration, BucketConfiguration overflowConfiguration) {
    Entry e = entries.get(key);
    if (e != null) {
      return e;
    }
    if (entries.size() >= maxKeys && !sweep()) {
      return overflow(overflowConfiguration);
    }
    return entries.computeIfAbsent(key, k -> new Entry(k, factory.create(k, configuration), configuration));
  }

  /** Removes the buckets a new one would replace exactly (see the class comment); true if any was. */
  boolean sweep() {
    long now = time.currentTimeNanos();
    long next = nextSweep.get();
    if (now - next < 0 || !nextSweep.compareAndSet(next, now + SWEEP_INTERVAL_NANOS)) {
      return false;
    }
    int before = entries.size();
    boolean local = factory.local();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (local ? full(e) : !e.touched) {
        it.remove();
      } else {
        e.touched = false;
      }
    }
    return entries.size() < before;
  }

  private static boolean full(Entry e) {
    synchronized (e) {
      return e.bucket.getAvailableTokens() >= e.configuration.getBandwidths()[0].getCapacity();
    }
  }

  private Entry overflow(BucketConfiguration configuration) {
    Entry o = overflow;
    if (o == null) {
      synchronized (this) {
        o = overflow;
        if (o == null) {
          o = new Entry(OVERFLOW_KEY, factory.create(OVERFLOW_KEY, configuration), configuration);
          overflow = o;
        }
      }
    }
    return o;
  }
}
