package io.tenantry.client.internal.resilience;

import io.tenantry.api.policy.ResilienceSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bulkhead per tenant at a service's door: at most a set number of one tenant's calls in progress on this
 * instance (the tenant's own entry, else its tier's, else {@code maxConcurrent}), so that one tenant cannot take
 * every thread or connection. Calls without a tenant share one slot under {@code maxConcurrent}. Non-blocking:
 * a call over its cap is refused at once.
 *
 * <p>{@link #configure} changes the caps live; the counts of calls in progress are kept, so no call fails
 * because of a change, and a cap lowered below the count in progress only refuses new calls until enough end.
 * Counters of idle tenants are dropped when more than {@value #MAX_TENANTS} are held (hostile tenant ids cannot
 * grow the map past that while their calls end). Thread-safe, lock-free; allocation-free once a tenant is known.
 *
 * <p>Dry-run: every call is let in and counted; calls over the cap are counted as would-refuse.
 */
public final class TenantBulkhead {
  static final int MAX_TENANTS = 10_000;
  private static final String NO_TENANT = "";
  /** The count of a slot dropped from the map: a thread that still holds it takes a fresh one. */
  private static final int RETIRED = -1;

  private record Caps(int maxConcurrent, Map<String, Integer> tiers, Map<String, Integer> tenants, boolean dryRun) {
    int of(String tenant, String tier) {
      Integer own = tenants.get(tenant);
      if (own != null) {
        return own;
      }
      Integer byTier = tier == null ? null : tiers.get(tier);
      return byTier != null ? byTier : maxConcurrent;
    }
  }

  private static final class Slot extends AtomicInteger {
    private static final long serialVersionUID = 1L;
    final LongAdder refused = new LongAdder();
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final LongAdder wouldRefuse = new LongAdder();
  private volatile Caps caps;

  /** @param spec the caps, or null for none (every call is let in and counted) */
  public TenantBulkhead(ResilienceSpec.Bulkhead spec, boolean dryRun) {
    configure(spec, dryRun);
  }

  /** New caps, or null for none; calls in progress keep counting. */
  public void configure(ResilienceSpec.Bulkhead spec, boolean dryRun) {
    caps = spec == null ? null
        : new Caps(spec.maxConcurrent(), Map.copyOf(spec.tiers()), Map.copyOf(spec.tenants()), dryRun);
  }

  /**
   * True if a call of {@code tenant} may start (then {@link #release} must follow when it ends); false if the
   * tenant is at its cap and the call must be refused (429). Always true without caps.
   *
   * @param tenant the tenant of the call, or null
   * @param tier   the tenant's tier, or null if unknown
   */
  public boolean tryAcquire(String tenant, String tier) {
    Caps c = caps;
    String key = tenant == null ? NO_TENANT : tenant;
    // Counted even without caps, so that caps set while calls are in progress see them.
    int cap = c == null ? Integer.MAX_VALUE : tenant == null ? c.maxConcurrent : c.of(tenant, tier);
    boolean dryRun = c != null && c.dryRun;
    while (true) {
      Slot slot = slot(key);
      int n = slot.get();
      if (n == RETIRED) {
        continue; // swept between the lookup and now: take the new slot
      }
      if (n >= cap) {
        if (!dryRun) {
          slot.refused.increment();
          refused.increment();
          return false;
        }
        wouldRefuse.increment();
      }
      if (slot.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Ends a call let in by {@link #tryAcquire}. */
  public void release(String tenant) {
    Slot slot = slots.get(tenant == null ? NO_TENANT : tenant);
    if (slot == null || slot.decrementAndGet() < 0) { // a slot in use is never swept
      throw new IllegalStateException("release of tenant '" + tenant + "' without a call in progress");
    }
  }

  private Slot slot(String key) {
    Slot slot = slots.get(key);
    if (slot != null) {
      return slot;
    }
    if (slots.size() >= MAX_TENANTS) {
      sweep();
    }
    Slot fresh = new Slot();
    Slot raced = slots.putIfAbsent(key, fresh);
    return raced == null ? fresh : raced;
  }

  /** Drops the slots of tenants with no call in progress. */
  private void sweep() {
    slots.forEach((key, slot) -> {
      if (slot.compareAndSet(0, RETIRED)) {
        slots.remove(key, slot);
      }
    });
  }

  /** Calls of {@code tenant} in progress (null: without a tenant). */
  public int inProgress(String tenant) {
    Slot slot = slots.get(tenant == null ? NO_TENANT : tenant);
    return slot == null ? 0 : Math.max(0, slot.get());
  }

  public long refused() {
    return refused.sum();
  }

  public long wouldRefuse() {
    return wouldRefuse.sum();
  }

  /** Refusals per tenant still held (the tenant without an id is {@code ""}). */
  public Map<String, Long> refusedByTenant() {
    Map<String, Long> out = new HashMap<>();
    slots.forEach((key, slot) -> {
      long n = slot.refused.sum();
      if (n > 0) {
        out.put(key, n);
      }
    });
    return out;
  }

  boolean dryRun() {
    Caps c = caps;
    return c != null && c.dryRun;
  }
}
