package io.tenantry.client.internal.limit;

import io.tenantry.api.policy.RequestMatch;
import io.tenantry.client.RequestHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RequestMatch} compiled for the hot path: arrays instead of lists, path prefixes split from
 * exact paths, and each condition skipped when empty. {@link #test} allocates nothing. A call with no
 * tenant, tier or caller fails a condition on it. Immutable and thread-safe.
 */
final class RequestCondition {
  private static final String[] NONE = new String[0];

  private final String[] tenants;
  private final String[] tiers;
  private final String[] callers;
  private final String[] methods;
  private final String[] exactPaths;
  private final String[] pathPrefixes;
  private final boolean anyPath;
  private final String[] headerNames;
  private final String[] headerValues;

  private RequestCondition(RequestMatch m) {
    tenants = m.tenants().toArray(NONE);
    tiers = m.tiers().toArray(NONE);
    callers = m.callers().toArray(NONE);
    methods = m.methods().toArray(NONE);
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String p : m.paths()) {
      if (p.endsWith("*")) {
        prefixes.add(p.substring(0, p.length() - 1));
      } else {
        exact.add(p);
      }
    }
    exactPaths = exact.toArray(NONE);
    pathPrefixes = prefixes.toArray(NONE);
    anyPath = m.paths().isEmpty();
    headerNames = new String[m.headers().size()];
    headerValues = new String[m.headers().size()];
    int i = 0;
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      headerNames[i] = h.getKey();
      headerValues[i++] = h.getValue();
    }
  }

  /** The compiled form of {@code match}, or null if it holds for every call (nothing to test). */
  static RequestCondition of(RequestMatch match) {
    return match.any() ? null : new RequestCondition(match);
  }

  <R> boolean test(String tenant, String tier, String caller, String method, String path, R request,
      RequestHeaders<? super R> headers) {
    if (!in(tenants, tenant) || !in(tiers, tier) || !in(callers, caller) || !in(methods, method)) {
      return false;
    }
    if (!anyPath && !pathMatches(path)) {
      return false;
    }
    for (int i = 0; i < headerNames.length; i++) {
      if (!headerValues[i].equals(headers.header(request, headerNames[i]))) {
        return false;
      }
    }
    return true;
  }

  private boolean pathMatches(String path) {
    if (path == null) {
      return false;
    }
    for (String p : exactPaths) {
      if (p.equals(path)) {
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

  /** True if {@code values} is empty (no condition) or holds {@code value}. */
  private static boolean in(String[] values, String value) {
    if (values.length == 0) {
      return true;
    }
    if (value == null) {
      return false;
    }
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
