package io.tenantry.server.trace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names under a key (span names of a service, values of a tag key) with how many held spans carry each, so
 * that evicting the last span of a name removes the name. Not thread-safe: its owner guards it.
 */
final class NameCounts {
  private final Map<String, Map<String, int[]>> counts = new HashMap<>();

  void add(String key, String name) {
    counts.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(name, n -> new int[1])[0]++;
  }

  void remove(String key, String name) {
    Map<String, int[]> names = counts.get(key);
    if (names == null) {
      return;
    }
    int[] n = names.get(name);
    if (n != null && --n[0] == 0) {
      names.remove(name);
      if (names.isEmpty()) {
        counts.remove(key);
      }
    }
  }

  /** The keys that have a name, sorted. */
  List<String> keys() {
    return counts.keySet().stream().sorted().toList();
  }

  /** The names under {@code key}, sorted. */
  List<String> names(String key) {
    Map<String, int[]> names = counts.get(key);
    return names == null ? List.of() : names.keySet().stream().sorted().toList();
  }
}
