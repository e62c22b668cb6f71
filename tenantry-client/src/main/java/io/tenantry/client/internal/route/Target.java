package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a call can go: one destination of a rule (its subset), or every candidate for the calls no rule
 * takes. Remembers, per candidate list it has seen, that list narrowed to the subset and the caller's zone,
 * with its affinity ring, so that a call over a list seen before allocates nothing; and counts its calls.
 *
 * <p>The memo is a small direct-mapped cache keyed by the identity of the lists (the discovery cache hands
 * out the same list object per view and tenant, so a few slots hold every list in use; a new view replaces
 * its slot). A list seen for the first time is first compared, instance by instance, with the lists held, so
 * that a fresh copy of the same instances (outlier ejection makes one per call) reuses their work. Thread-safety: thread-safe; racing calls may each build an entry, any of which is correct.
 */
final class Target {
  private static final int SLOTS = 8; // a power of two

  final int index;
  final Subset subset;
  final int weight;
  /** The reason given when this subset is empty and the rule says fail; built once. */
  final String emptyDetail;
  final LongAdder routed = new LongAdder();
  final LongAdder failedEmpty = new LongAdder();
  final LongAdder fellBack = new LongAdder();
  final LongAdder wouldRoute = new LongAdder();
  final LongAdder wouldFail = new LongAdder();
  final LongAdder wouldFallBack = new LongAdder();

  private final ZonePreference zones;
  private final double loadFactor;
  private final AtomicReferenceArray<Narrowed> memo = new AtomicReferenceArray<>(SLOTS);

  /**
   * @param zones      the caller's zone preference, or null
   * @param loadFactor the affinity's load factor, or 0 without affinity
   */
  Target(int index, Subset subset, int weight, String emptyDetail, ZonePreference zones, double loadFactor) {
    this.index = index;
    this.subset = subset;
    this.weight = weight;
    this.emptyDetail = emptyDetail;
    this.zones = zones;
    this.loadFactor = loadFactor;
  }

  /** {@code eligible} narrowed for this target; see {@link Narrowed}. Allocation-free for a list seen before. */
  Narrowed narrow(List<Instance> eligible, List<Instance> all) {
    int slot = System.identityHashCode(eligible) & (SLOTS - 1);
    Narrowed n = memo.get(slot);
    if (n != null && n.eligible == eligible && n.all == all) {
      return n;
    }
    // A new list holding the same instances as one seen before: outlier ejection hands out a fresh list per
    // call while an instance is ejected. Compared element by element (no allocation) rather than rebuilt.
    for (int s = 0; s < SLOTS; s++) {
      Narrowed m = memo.get(s);
      if (m != null && sameInstances(m.eligible, eligible) && sameInstances(m.all, all)) {
        return m;
      }
    }
    n = build(eligible, all);
    memo.set(slot, n);
    return n;
  }

  private static boolean sameInstances(List<Instance> a, List<Instance> b) {
    if (a == b) {
      return true;
    }
    int size = a.size();
    if (size != b.size()) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private Narrowed build(List<Instance> eligible, List<Instance> all) {
    List<Instance> inSubset = subset.of(eligible);
    if (inSubset.isEmpty()) {
      // Every candidate (the empty subset) is never "empty": no candidates at all is the caller's case to handle.
      return new Narrowed(eligible, all, subset.all() ? eligible : null, null);
    }
    List<Instance> chosen = inSubset;
    if (zones != null) {
      chosen = zones.apply(inSubset, all == eligible ? inSubset : subset.of(all));
    }
    return new Narrowed(eligible, all, chosen, loadFactor > 0 ? new AffinityRing(chosen, loadFactor) : null);
  }

  /**
   * One candidate list narrowed: {@code chosen} is null if the subset holds no eligible instance, else the
   * eligible instances of the subset, kept to the caller's zone while it is healthy; {@code ring} is their
   * affinity ring, or null without affinity.
   */
  record Narrowed(List<Instance> eligible, List<Instance> all, List<Instance> chosen, AffinityRing ring) {
    boolean empty() {
      return chosen == null;
    }
  }
}
