package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the candidates in the caller's zone while enough of that zone is healthy, else every zone. Applied
 * only when a candidate list changes, never per call.
 *
 * <p>Healthy means eligible: the caller passes the candidates left after outlier ejection ({@code eligible})
 * and the candidates before it ({@code all}); the zone's healthy share is the eligible count over the count
 * before ejection, both within the zone. Thread-safety: immutable.
 */
final class ZonePreference {
  private final String zone;
  private final int minHealthyPercent;

  ZonePreference(String zone, int minHealthyPercent) {
    this.zone = zone;
    this.minHealthyPercent = minHealthyPercent;
  }

  /**
   * The instances of {@code eligible} in the caller's zone if at least {@code minHealthyPercent} of the zone's
   * instances in {@code all} are eligible (and at least one is); otherwise {@code eligible} itself.
   */
  List<Instance> apply(List<Instance> eligible, List<Instance> all) {
    int inZone = count(all);
    if (inZone == 0) {
      return eligible;
    }
    List<Instance> local = new ArrayList<>(inZone);
    for (int i = 0; i < eligible.size(); i++) {
      if (zone.equals(eligible.get(i).zone())) {
        local.add(eligible.get(i));
      }
    }
    boolean healthy = !local.isEmpty() && local.size() * 100L >= (long) minHealthyPercent * inZone;
    if (!healthy || local.size() == eligible.size()) {
      return eligible;
    }
    return List.copyOf(local);
  }

  private int count(List<Instance> instances) {
    int n = 0;
    for (int i = 0; i < instances.size(); i++) {
      if (zone.equals(instances.get(i).zone())) {
        n++;
      }
    }
    return n;
  }
}
