package io.tenantry.client.internal.route;

import io.tenantry.api.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A destination's subset compiled: the instances whose {@code version}, {@code zone} and {@code tenant}
 * fields, and whose labels for any other key, equal every entry. Applied only when a candidate list
 * changes, never per call.
 *
 * <p>Thread-safety: immutable.
 */
final class Subset {
  static final Subset ALL = new Subset(Map.of());

  private final Map<String, String> entries;
  private final String[] keys;
  private final String[] values;

  Subset(Map<String, String> entries) {
    this.entries = Map.copyOf(entries);
    TreeMap<String, String> sorted = new TreeMap<>(entries);
    this.keys = sorted.keySet().toArray(String[]::new);
    this.values = sorted.values().toArray(String[]::new);
  }

  Map<String, String> entries() {
    return entries;
  }

  boolean all() {
    return keys.length == 0;
  }

  boolean holds(Instance instance) {
    for (int i = 0; i < keys.length; i++) {
      String actual = switch (keys[i]) {
        case "version" -> instance.version();
        case "zone" -> instance.zone();
        case "tenant" -> instance.tenant();
        default -> instance.labels().get(keys[i]);
      };
      if (!values[i].equals(actual)) {
        return false;
      }
    }
    return true;
  }

  /** The instances of {@code candidates} in this subset, in their order: {@code candidates} itself if all are. */
  List<Instance> of(List<Instance> candidates) {
    if (all()) {
      return candidates;
    }
    List<Instance> kept = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      if (holds(candidates.get(i))) {
        kept.add(candidates.get(i));
      }
    }
    return kept.size() == candidates.size() ? candidates : List.copyOf(kept);
  }

  /** As written in a policy, keys sorted: {@code {version=v2, zone=eu-1}}. */
  @Override
  public String toString() {
    return new TreeMap<>(entries).toString();
  }
}
