package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with Bounded
 * Loads", 2018) over one candidate list. Each instance owns {@link #VIRTUAL_NODES} points on a ring of 64-bit
 * hashes of its id, so adding or removing an instance moves only the tenants on its arcs (about 1/n). A
 * tenant's call walks clockwise from the tenant's hash to the first instance whose load in flight is below
 * {@code ceil(loadFactor * (total in flight + 1) / n)}: an idle tenant always lands on the same instance, a
 * heavy one spills over to the next instances on the ring, and no instance takes more than the bound. One
 * such instance always exists (the bounds add up to more than the load), so the walk ends within one turn.
 *
 * <p>Thread-safety: immutable. Counts read while other calls start and finish may be stale by the calls in
 * between, so under concurrency the bound holds up to those races.
 */
final class AffinityRing {
  /** Points per instance: with 100 the arcs of 10 instances differ by about ±10% (1/sqrt(100)). */
  static final int VIRTUAL_NODES = 100;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final List<Instance> instances;
  private final double loadFactor;
  private final long[] points;
  private final int[] owners;

  /** @param instances a non-empty immutable candidate list; the ring indexes into it */
  AffinityRing(List<Instance> instances, double loadFactor) {
    this.instances = instances;
    this.loadFactor = loadFactor;
    int n = instances.size();
    List<long[]> ring = new ArrayList<>(n * VIRTUAL_NODES);
    for (int owner = 0; owner < n; owner++) {
      long base = fnv(instances.get(owner).id());
      for (int v = 1; v <= VIRTUAL_NODES; v++) {
        ring.add(new long[] {mix(base + v * GOLDEN), owner});
      }
    }
    // Ties (vanishingly rare) are broken by owner index so that the ring is deterministic.
    ring.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    this.points = new long[ring.size()];
    this.owners = new int[ring.size()];
    for (int i = 0; i < points.length; i++) {
      points[i] = ring.get(i)[0];
      owners[i] = (int) ring.get(i)[1];
    }
  }

  /** The instance for {@code tenant}'s next call given the loads now in flight. Allocation-free. */
  Instance pick(String tenant, InFlight inFlight) {
    int n = instances.size();
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += Math.max(0, inFlight.of(instances.get(i)));
    }
    long bound = (long) Math.ceil(loadFactor * (total + 1) / n);
    int at = Arrays.binarySearch(points, hash(tenant));
    if (at < 0) {
      at = -at - 1;
    }
    for (int step = 0; step < points.length; step++) {
      int p = at + step;
      if (p >= points.length) {
        p -= points.length;
      }
      Instance candidate = instances.get(owners[p]);
      if (inFlight.of(candidate) < bound) {
        return candidate;
      }
    }
    // Only reachable when counts grew during the walk: keep the tenant's home instance.
    return instances.get(owners[at == points.length ? 0 : at]);
  }

  /** The 64-bit hash of a tenant id, the point its walk starts from. */
  static long hash(String tenant) {
    return mix(fnv(tenant));
  }

  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** MurmurHash3's 64-bit finalizer: spreads FNV's weak low bits over the whole word. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
