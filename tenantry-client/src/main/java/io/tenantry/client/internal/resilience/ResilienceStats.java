package io.tenantry.client.internal.resilience;

import java.util.Map;

/** Immutable snapshots of the resilience counters, caller side and service side. */
public final class ResilienceStats {
  private ResilienceStats() {}

  /**
   * The counters of one called service.
   *
   * @param policy             a resilience policy applies (else the defaults)
   * @param breakerState       {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, … or {@code NONE} without a breaker
   * @param breakerTransitions state changes of the breaker so far
   * @param notPermitted       attempts refused by an open breaker
   * @param breakerWouldRefuse attempts a dry-run breaker would have refused
   * @param retriesDenied      retries refused by the retry budget
   * @param retriesWouldDeny   retries a dry-run budget would have refused
   * @param ejections          instances ejected so far
   * @param ejectedNow         instances ejected now (or, in dry-run, that would be)
   * @param wouldEject         ejections a dry-run policy would have made
   * @param ejectionsSkipped   ejections not made because {@code maxEjectedPercent} was reached
   */
  public record Service(String service, boolean policy, boolean dryRun, String breakerState, long breakerTransitions,
      long notPermitted, long breakerWouldRefuse, long retriesAllowed, long retriesDenied, long retriesWouldDeny,
      long ejections, int ejectedNow, long wouldEject, long ejectionsSkipped) {}

  /** The caller side: one entry per called service, by name. */
  public record Caller(Map<String, Service> services) {
    public Caller {
      services = Map.copyOf(services);
    }
  }

  /**
   * The service side.
   *
   * @param bulkheadRefused         calls refused by the per-tenant bulkhead
   * @param bulkheadWouldRefuse     calls a dry-run bulkhead would have refused
   * @param bulkheadRefusedByTenant refusals per tenant (tenants with calls in progress or recent refusals)
   * @param adaptiveLimit           the adaptive concurrency limit now, or 0 when none applies
   * @param adaptiveInFlight        calls in progress counted by the adaptive limiter
   * @param adaptiveRefused         calls refused by the adaptive limit
   * @param adaptiveWouldRefuse     calls a dry-run adaptive limit would have refused
   */
  public record Inbound(boolean policy, boolean dryRun, long bulkheadRefused, long bulkheadWouldRefuse,
      Map<String, Long> bulkheadRefusedByTenant, int adaptiveLimit, int adaptiveInFlight, long adaptiveRefused,
      long adaptiveWouldRefuse) {
    public Inbound {
      bulkheadRefusedByTenant = Map.copyOf(bulkheadRefusedByTenant);
    }
  }

}
