package io.tenantry.api.policy;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which calls a rule applies to. Every condition given must hold (and); a list holds if any of its
 * entries does (or); an empty or missing condition holds for every call.
 *
 * @param tenants the call's tenant is one of these
 * @param tiers   the call's tenant's tier is one of these
 * @param callers the calling service (header {@code X-Tenantry-Caller}) is one of these
 * @param methods the HTTP method is one of these (upper case)
 * @param paths   the path equals one of these, or starts with one ending in {@code *} (without the {@code *})
 * @param headers each named header (any case) has exactly this value
 */
public record RequestMatch(List<String> tenants, List<String> tiers, List<String> callers, List<String> methods,
    List<String> paths, Map<String, String> headers) {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  public static final RequestMatch ANY = new RequestMatch(null, null, null, null, null, null);

  public RequestMatch {
    tenants = Checks.names("tenants", tenants);
    tiers = Checks.names("tiers", tiers);
    callers = Checks.names("callers", callers);
    methods = Checks.list("methods", methods);
    for (int i = 0; i < methods.size(); i++) {
      if (!METHODS.contains(methods.get(i))) {
        throw new ValidationException("methods[" + i + "]", "'" + Names.shorten(methods.get(i))
            + "' (expected: one of " + new java.util.TreeSet<>(METHODS) + ")");
      }
    }
    paths = Checks.list("paths", paths);
    for (int i = 0; i < paths.size(); i++) {
      String p = paths.get(i);
      if (!p.startsWith("/") || p.length() > 1024 || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1
          || p.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#' || c >= 0x7f)) {
        throw new ValidationException("paths[" + i + "]", "'" + Names.shorten(p)
            + "' (expected: a path starting with /, optionally ending in * to match a prefix)");
      }
    }
    Map<String, String> h = new TreeMap<>();
    if (headers != null) {
      if (headers.size() > Checks.MAX_ENTRIES) {
        throw new ValidationException("headers", headers.size() + " entries (expected: at most " + Checks.MAX_ENTRIES + ")");
      }
      for (Map.Entry<String, String> e : headers.entrySet()) {
        String name = e.getKey();
        if (!Names.LABEL_KEY.matcher(name).matches()) {
          throw new ValidationException("headers", "'" + Names.shorten(name) + "' (expected: a header name)");
        }
        h.put(name.toLowerCase(Locale.ROOT), Names.text("headers." + name, Names.required("headers." + name, e.getValue()),
            Names.MAX_LABEL_VALUE));
      }
    }
    headers = Map.copyOf(h);
  }

  /** True if no condition is set: every call matches. */
  public boolean any() {
    return tenants.isEmpty() && tiers.isEmpty() && callers.isEmpty() && methods.isEmpty() && paths.isEmpty()
        && headers.isEmpty();
  }

  /** True if {@code path} satisfies {@link #paths()} (or it is empty). */
  public boolean pathMatches(String path) {
    if (paths.isEmpty()) {
      return true;
    }
    for (String p : paths) {
      if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
