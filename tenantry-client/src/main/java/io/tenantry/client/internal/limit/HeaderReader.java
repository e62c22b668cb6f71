package io.tenantry.client.internal.limit;

/**
 * Reads one header of an inbound request, for limits whose match names headers. Generic over the
 * request so an adapter passes its request and one shared, stateless reader (e.g.
 * {@code HttpServletRequest::getHeader}) instead of allocating a view per call. Implementations must be
 * thread-safe.
 *
 * @param <R> the adapter's request type
 */
@FunctionalInterface
public interface HeaderReader<R> {
  /** The value of header {@code name} (lower case) on {@code request}, or null if it is absent. */
  String header(R request, String name);

  /** A reader for callers with no headers: every header is absent. */
  static <R> HeaderReader<R> none() {
    return (request, name) -> null;
  }
}
