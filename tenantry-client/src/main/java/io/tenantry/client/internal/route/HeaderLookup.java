package io.tenantry.client.internal.route;

/**
 * The headers of the call being routed, as the router reads them: consulted only by rules that match on
 * headers. Implementations must not allocate (e.g. read the request's header map, not an {@code Optional}).
 */
@FunctionalInterface
public interface HeaderLookup {
  /** No headers at all. */
  HeaderLookup NONE = name -> null;

  /** The first value of the header {@code lowerCaseName}, or null if the call does not carry it. */
  String first(String lowerCaseName);
}
