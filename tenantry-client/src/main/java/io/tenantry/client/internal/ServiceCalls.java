package io.tenantry.client.internal;

import io.tenantry.api.policy.Policy;
import io.tenantry.client.internal.route.Router;
import java.util.concurrent.atomic.LongAdder;

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

  record Routing(Object source, Policy policy, Router router) {}

  ServiceCalls(String name) {
    this.name = name;
  }

  public String name() {
    return name;
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
