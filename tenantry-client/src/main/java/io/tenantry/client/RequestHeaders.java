package io.tenantry.client;

/**
 * How a server adapter lets the SDK read the headers of its inbound requests ({@link ServiceDoor}). Generic over
 * the adapter's request type so that one shared, stateless instance serves every request and nothing is
 * allocated per request (e.g. {@code (HttpServletRequest r, String n) -> r.getHeader(n)}). Implementations must
 * be thread-safe.
 *
 * @param <R> the adapter's request type
 */
@FunctionalInterface
public interface RequestHeaders<R> {
  /** The first value of header {@code lowerCaseName} on {@code request} (any case on the wire), or null. */
  String header(R request, String lowerCaseName);

  /**
   * Every {@code baggage} header of {@code request} joined with commas, or null if there is none. The default
   * reads the first only; override it where a request may carry several.
   */
  default String baggage(R request) {
    return header(request, "baggage");
  }

  /**
   * True if {@code request} carries header {@code lowerCaseName} more than once. The door refuses a request that
   * names its tenant or its transaction twice: a proxy that appends a header, and a handler or framework that
   * reads another copy than the door did, would disagree about whom the request is for. The default says no:
   * override it where a request may carry several (the SDK's filters do).
   */
  default boolean repeated(R request, String lowerCaseName) {
    return false;
  }

  /** A reader for requests with no headers at all. */
  static <R> RequestHeaders<R> none() {
    return (request, name) -> null;
  }
}
