package io.tenantry.server.watch;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WatchEvent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one watch stream subscribes to: a set of kinds and, for {@link WatchEvent#KIND_INSTANCE}, an
 * optional set of services (empty means every service). Immutable.
 */
public record WatchFilter(Set<String> kinds, Set<String> services) {
  /** Kinds a stream may subscribe to. */
  public static final List<String> KINDS =
      List.of(WatchEvent.KIND_INSTANCE, WatchEvent.KIND_TENANT, WatchEvent.KIND_NAMESPACE, WatchEvent.KIND_POLICY);
  /** Most services one stream may name. */
  public static final int MAX_SERVICES = 1000;

  public WatchFilter {
    kinds = Set.copyOf(kinds);
    services = Set.copyOf(services);
    if (kinds.isEmpty()) {
      throw new ValidationException("kinds", "empty (expected: some of " + KINDS + ")");
    }
    for (String k : kinds) {
      if (!KINDS.contains(Names.name("kinds", k))) {
        throw new ValidationException("kinds", "'" + k + "' (expected: some of " + KINDS + ")");
      }
    }
    if (services.size() > MAX_SERVICES) {
      throw new ValidationException("services", services.size() + " services (expected: at most " + MAX_SERVICES + ")");
    }
    services.forEach(s -> Names.name("services", s));
  }

  /**
   * Parses the query parameters {@code kinds} and {@code services}, both comma-separated and optional
   * ({@code kinds} defaults to {@code instance}). Throws {@link ValidationException} naming the parameter.
   */
  public static WatchFilter parse(String kinds, String services) {
    Set<String> k = split(kinds);
    return new WatchFilter(k.isEmpty() ? Set.of(WatchEvent.KIND_INSTANCE) : k, split(services));
  }

  /** True if an event of {@code kind} whose key starts with group {@code group} belongs to this stream. */
  public boolean matches(String kind, String group) {
    if (!kinds.contains(kind)) {
      return false;
    }
    return !WatchEvent.KIND_INSTANCE.equals(kind) || services.isEmpty() || services.contains(group);
  }

  private static Set<String> split(String csv) {
    Set<String> out = new LinkedHashSet<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    if (csv.length() > 64 * MAX_SERVICES) {
      throw new ValidationException("services", csv.length() + " characters (expected: at most " + 64 * MAX_SERVICES + ")");
    }
    Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
