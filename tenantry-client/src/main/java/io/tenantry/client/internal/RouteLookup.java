package io.tenantry.client.internal;

import java.util.function.Supplier;

/** Where a governed call finds the served view of the service it calls. Thread-safe. */
@FunctionalInterface
public interface RouteLookup {
  /** The served instances of {@code service} with their candidates (may wait, bounded, on a first lookup). */
  Routes routes(String service);

  /**
   * Where {@code service}'s views will be found from now on, for the caller to keep and ask per call instead of
   * looking the service up by name; null while there is no such place yet (then ask {@link #routes} again).
   */
  default Supplier<Routes> source(String service) {
    return null;
  }
}
