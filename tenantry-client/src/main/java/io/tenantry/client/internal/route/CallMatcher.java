package io.tenantry.client.internal.route;

import io.tenantry.api.policy.RequestMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link RequestMatch} compiled for the hot path: sets for the name lists, exact paths and prefixes
 * split apart (no substring per call), header names and values in arrays. A null field means "any".
 *
 * <p>Thread-safety: immutable.
 */
final class CallMatcher {
  private final Set<String> tenants;
  private final Set<String> tiers;
  private final Set<String> callers;
  private final Set<String> methods;
  private final String[] exactPaths;
  private final String[] pathPrefixes;
  private final String[] headerNames;
  private final String[] headerValues;

  CallMatcher(RequestMatch match) {
    this.tenants = setOrNull(match.tenants());
    this.tiers = setOrNull(match.tiers());
    this.callers = setOrNull(match.callers());
    this.methods = setOrNull(match.methods());
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String p : match.paths()) {
      if (p.endsWith("*")) {
        prefixes.add(p.substring(0, p.length() - 1));
      } else {
        exact.add(p);
      }
    }
    boolean anyPath = match.paths().isEmpty();
    this.exactPaths = anyPath ? null : exact.toArray(String[]::new);
    this.pathPrefixes = anyPath ? null : prefixes.toArray(String[]::new);
    Map<String, String> headers = match.headers(); // names already lower case
    this.headerNames = headers.keySet().stream().sorted().toArray(String[]::new);
    this.headerValues = new String[headerNames.length];
    for (int i = 0; i < headerNames.length; i++) {
      headerValues[i] = headers.get(headerNames[i]);
    }
  }

  /** True if matching reads the call's headers. */
  boolean readsHeaders() {
    return headerNames.length > 0;
  }

  private static Set<String> setOrNull(List<String> values) {
    return values.isEmpty() ? null : Set.copyOf(values);
  }

  /** True if every condition holds for the call; a null call value fails a condition that is set. */
  boolean matches(String tenant, String tier, String caller, String method, String path, HeaderLookup headers) {
    return in(tenants, tenant) && in(tiers, tier) && in(callers, caller) && in(methods, method) && pathMatches(path)
        && headersMatch(headers);
  }

  private static boolean in(Set<String> set, String value) {
    return set == null || value != null && set.contains(value);
  }

  private boolean pathMatches(String path) {
    if (exactPaths == null) {
      return true;
    }
    if (path == null) {
      return false;
    }
    for (String p : exactPaths) {
      if (path.equals(p)) {
        return true;
      }
    }
    for (String p : pathPrefixes) {
      if (path.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private boolean headersMatch(HeaderLookup headers) {
    for (int i = 0; i < headerNames.length; i++) {
      if (!headerValues[i].equals(headers.first(headerNames[i]))) {
        return false;
      }
    }
    return true;
  }
}
