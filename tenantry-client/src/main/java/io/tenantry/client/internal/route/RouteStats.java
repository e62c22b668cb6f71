package io.tenantry.client.internal.route;

import java.util.Map;

/**
 * The counts of one destination of a route policy since its router was compiled. The row with a null
 * {@code rule} (and {@code destination} -1) counts the calls no rule took.
 *
 * @param routed        calls sent to the destination's subset (or, for the no-rule row, to every candidate)
 * @param failedEmpty   calls failed because the subset had no eligible instance ({@code onEmpty: fail})
 * @param fellBack      calls sent to every candidate because the subset was empty ({@code onEmpty: fallback})
 * @param wouldRoute    in dry run: calls that would have been routed
 * @param wouldFail     in dry run: calls that would have failed on an empty subset
 * @param wouldFallBack in dry run: calls that would have fallen back on an empty subset
 */
public record RouteStats(String policy, String rule, int destination, Map<String, String> subset, long routed,
    long failedEmpty, long fellBack, long wouldRoute, long wouldFail, long wouldFallBack) {
  public RouteStats {
    subset = Map.copyOf(subset);
  }
}
