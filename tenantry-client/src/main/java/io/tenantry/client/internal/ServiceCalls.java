package io.tenantry.client.internal;

import io.tenantry.client.internal.resilience.ServiceResilience;
import io.tenantry.api.policy.Policy;
import io.tenantry.client.internal.route.Router;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the governed calls of this client keep per called service: counters of calls, attempts, retries
 * and failed attempts. Thread-safe.
 */
public final class ServiceCalls {
  private final String name;
  final LongAdder calls = new LongAdder();
  final LongAdder attempts = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder retriesDenied = new LongAdder();
  final LongAdder notPermitted = new LongAdder();

  /** The router of this service's calls and the route policies it was compiled under; replaced as a whole. */
  volatile Routing routing;
  /** The resilience of this service's calls as last compiled (checked against the policies per call). */
  volatile ServiceResilience resilience;
  /** Where this service's views are found, once the lookup has such a place (see {@link RouteLookup#source}). */
  private volatile Supplier<Routes> views;
  /** What the client's {@link AttemptRecorder} keeps for this service (its statistics), found once. */
  private volatile Object recorded;

  record Routing(Object source, Policy policy, Router router) {}

  public ServiceCalls(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The served view of this service, from where it is kept once known (by name until then). */
  Routes routes(RouteLookup lookup) {
    Supplier<Routes> v = views;
    if (v != null) {
      return v.get();
    }
    Routes r = lookup.routes(name);
    views = lookup.source(name);
    return r;
  }

  /** What the attempt recorder keeps for this service, or null before its first attempt. */
  public Object recorded() {
    return recorded;
  }

  public void recorded(Object state) {
    recorded = state;
  }

  public long calls() {
    return calls.sum();
  }

  public long attempts() {
    return attempts.sum();
  }

  public long retries() {
    return retries.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /** Retries a failed attempt would have had but the retry budget refused. */
  public long retriesDenied() {
    return retriesDenied.sum();
  }

  /** Calls (or retries) refused because the service's circuit breaker was open. */
  public long notPermitted() {
    return notPermitted.sum();
  }
}
