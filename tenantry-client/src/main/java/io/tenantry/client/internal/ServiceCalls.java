package io.tenantry.client.internal;

import io.tenantry.client.internal.resilience.ServiceResilience;
import io.tenantry.api.policy.Policy;
import io.tenantry.client.internal.route.Router;
import java.util.function.Supplier;

/**
 * What the governed calls of this client keep per called service, so that a call finds it all with one lookup by
 * name: its router, its resilience, where its served views are found, and what the attempt recorder keeps for it
 * (the counts themselves are the meters' and the statistics'). Thread-safe.
 */
public final class ServiceCalls {
  private final String name;

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
}
