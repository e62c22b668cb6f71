package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.Tenant;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.CallNotPermittedException;
import io.tenantry.client.GovernedCall;
import io.tenantry.client.internal.resilience.ServiceResilience;
import io.tenantry.client.internal.trace.AttemptSpan;
import io.tenantry.client.internal.trace.Propagation;
import io.tenantry.api.Headers;
import io.tenantry.client.internal.route.RouteRule;
import io.tenantry.client.internal.route.Router;
import io.tenantry.client.NoInstanceAvailableException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** One governed call: see {@link GovernedCall}. Not thread-safe. */
final class Call implements GovernedCall {
  // One per thread is reused from call to call (see CallGovernor), so the fields are set per call.
  private final CallGovernor governor;
  private ServiceCalls service;
  private ServiceResilience resilience;
  private Router router;
  private RouteRule rule; // the route rule the call matched, or null
  private String tenant;
  private String method;
  private String path;
  private AttemptSpan trace; // made on the first traced attempt
  private Tenant record; // the tenant's record when the call began, or null
  private Duration timeout;
  private boolean active; // between begin and the end that ends the call: not to be reused
  private Routes view;
  private Instance instance;
  private Routes.Endpoint endpoint; // the instance's load and address in the view it was chosen from
  private Retries retries; // made on the first retry or refused connection
  private long startNanos;
  private short attempt;
  private short maxAttempts;
  private byte retryDecision; // 0 undecided, 1 allowed, -1 denied: per attempt
  private boolean refused;

  /** What a call that retries remembers: the instances tried, those that refused, the last one. */
  private static final class Retries {
    Set<String> tried;
    Set<String> refused;
    Instance previous;
  }

  Call(CallGovernor governor) {
    this.governor = governor;
  }

  /** True while the call runs: from {@link #begin} to the {@link #end} that returns false. */
  boolean active() {
    return active;
  }

  /** Begins a call: sets what it keeps, counts it, and chooses the first attempt's instance. */
  void begin(ServiceCalls service, ServiceResilience resilience, Router router, RouteRule rule, String tenant,
      String method, String path, Tenant record, int maxAttempts, Duration timeout) {
    this.record = record;
    this.method = method;
    this.path = path;
    this.service = service;
    this.resilience = resilience;
    this.router = router;
    this.rule = rule;
    this.tenant = tenant;
    this.maxAttempts = (short) maxAttempts;
    this.timeout = timeout;
    this.retries = null;
    this.attempt = 0;
    this.active = true;
    try {
      first();
    } catch (RuntimeException | Error e) {
      active = false;
      throw e;
    }
  }

  private void first() {
    long now = System.nanoTime();
    resilience.onRequest(now); // the production clock: the same reading serves the budget and the attempt
    if (!resilience.tryAcquire()) {
      throw new CallNotPermittedException(service.name(), "its circuit breaker is open (failing fast; retry later)");
    }
    Instance next;
    try {
      next = choose();
    } catch (RuntimeException e) {
      resilience.release();
      throw e;
    }
    start(next, now);
  }

  /** The instance of the next attempt among the current candidates. */
  private Instance choose() {
    view = service.routes(governor.routes);
    List<Instance> candidates = view.candidates(tenant, record);
    if (candidates.isEmpty()) {
      throw new NoInstanceAvailableException(service.name(), tenant,
          CandidateSelector.explainEmpty(view.all(), tenant, record));
    }
    List<Instance> healthy = resilience.healthy(candidates);
    List<Instance> pool = retries == null || retries.tried == null ? healthy
        : untried(healthy, retries.tried, retries.refused);
    if (router == Router.NONE) {
      return governor.loadAware != null ? governor.loadAware.choose(pool, view.loadOf) : governor.balancer.choose(pool);
    }
    return router.pick(rule, tenant, pool, candidates, view.boundTo(governor.balancer, governor.loadAware),
        view.inFlight);
  }

  private void start(Instance next, long nowNanos) {
    attempt++;
    instance = next;
    retryDecision = 0;
    refused = false;
    endpoint = view.endpoint(next);
    endpoint.load().started();
    if (governor.loadAware == null) {
      governor.balancer.onStart(next);
    }
    startNanos = nowNanos;
    if (governor.tracing != null) {
      if (trace == null) {
        trace = new AttemptSpan();
      }
      governor.tracing.start(trace, attempt == 1, service.name(), tenant, method, path, rule == null ? null : rule.name(),
          next, attempt);
    }
  }

  @Override
  public String service() {
    return service.name();
  }

  ServiceCalls serviceCalls() {
    return service;
  }

  @Override
  public String tenant() {
    return tenant;
  }

  /** The call's method (the HTTP method, or what the caller named). */
  String method() {
    return method;
  }

  @Override
  public Instance instance() {
    return instance;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public URI target(URI logical) {
    return endpoint.target(logical);
  }

  @Override
  public boolean retryAllowed() {
    if (retryDecision == 0) {
      retryDecision = (byte) (attempt < maxAttempts && resilience.tryRetry() ? 1 : -1);
    }
    return retryDecision > 0;
  }

  @Override
  public void refused() {
    refused = true;
  }

  @Override
  public boolean end(CallOutcome outcome, int status, boolean retryable) {
    long now = System.nanoTime();
    long nanos = now - startNanos;
    boolean success = outcome == CallOutcome.SUCCESS;
    endpoint.load().finished(nanos / 1000, success, now);
    resilience.onResult(instance, success, nanos);
    if (governor.loadAware == null) {
      governor.balancer.onFinish(instance, Duration.ofNanos(nanos), success);
    }
    if (refused) {
      retries().refused.add(instance.id());
    }
    Instance next = null;
    if (retryable && retryAllowed()) {
      retries().tried.add(instance.id());
      if (resilience.tryAcquire()) {
        try {
          next = choose();
        } catch (NoInstanceAvailableException e) {
          resilience.release();
          next = null; // nothing left to try: this attempt's result is the call's
        }
      } // else the breaker opened during the call: this attempt's result is the call's
    }
    Instance previous = retries == null ? null : retries.previous;
    boolean failover = previous != null && !previous.id().equals(instance.id());
    governor.observe(this, instance, outcome, status, nanos, next != null, failover);
    if (trace != null) {
      governor.tracing.end(trace, outcome, status, next != null, failover);
    }
    if (next == null) {
      active = false;
      return false;
    }
    retries.previous = instance;
    start(next, System.nanoTime());
    return true;
  }

  @Override
  public void writeHeaders(BiConsumer<String, String> header) {
    writeTrace(header);
    String carried = carriedBaggage();
    if (tenant != null) {
      header.accept(Headers.TENANT_ID, tenant);
      header.accept(Headers.BAGGAGE, Baggage.merge(carried, tenant));
    } else if (carried != null) {
      header.accept(Headers.BAGGAGE, carried);
    }
  }

  /** Writes the trace context of the current attempt's span, if traced. */
  void writeTrace(BiConsumer<String, String> header) {
    if (trace != null) {
      Propagation.inject(trace.context(), header);
    }
  }

  /** The baggage the call began with (e.g. its inbound request's), bounded, as a header; or null. */
  String carriedBaggage() {
    return trace == null ? null : trace.baggage();
  }

  private Retries retries() {
    if (retries == null) {
      retries = new Retries();
      retries.tried = new HashSet<>();
      retries.refused = new HashSet<>();
    }
    return retries;
  }

  @Override
  public Duration backoff() {
    long ms = resilience.backoffMillis(attempt - 1);
    return ms >= 0 ? Duration.ofMillis(ms) : governor.backoff.fullJitter(attempt - 1);
  }

  /**
   * The candidates not tried yet in this call; once every one was tried, all again but those that refused the
   * connection in this call (a killed instance stays listed until its lease expires: going back to it would
   * spend attempts on certain failures).
   */
  static List<Instance> untried(List<Instance> candidates, Set<String> tried, Set<String> refused) {
    List<Instance> fresh = without(candidates, tried);
    if (!fresh.isEmpty()) {
      return fresh;
    }
    List<Instance> reachable = without(candidates, refused);
    return reachable.isEmpty() ? candidates : reachable;
  }

  private static List<Instance> without(List<Instance> candidates, Set<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return candidates;
    }
    List<Instance> kept = new ArrayList<>(candidates.size());
    for (Instance i : candidates) {
      if (!ids.contains(i.id())) {
        kept.add(i);
      }
    }
    return kept;
  }
}
