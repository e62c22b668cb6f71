package io.tenantry.client;

import java.util.Map;

/**
 * What one policy (or one of its rules, limits or sections) has done in this client since it applied: the
 * counters an operator reads to see a policy work, or, in dry-run, what it would have done. Immutable.
 *
 * @param kind    {@code route}, {@code rate-limit}, {@code quota} or {@code resilience}
 * @param service the service it governs: the called service for routes and caller-side resilience, this
 *                client's own service for what its door enforces
 * @param name    which part: {@code <policy>/<limit>} for limits and quotas, {@code <policy>/<rule>#<n>} for a
 *                route destination ({@code <policy>/-} for calls no rule took), {@code caller} or {@code door}
 *                for resilience
 * @param dryRun  true if the policy only counts its would-be effect
 * @param state   the circuit breaker's state for caller-side resilience ({@code CLOSED}, {@code OPEN}, …), else null
 * @param counts  the counters by name, e.g. {@code refused}, {@code wouldRefuse}, {@code routed}, {@code ejections}
 */
public record PolicyEffect(String kind, String service, String name, boolean dryRun, String state,
    Map<String, Long> counts) {
  public PolicyEffect {
    counts = Map.copyOf(counts);
  }

  /** The counter {@code name}, 0 if it is not kept. */
  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }
}
