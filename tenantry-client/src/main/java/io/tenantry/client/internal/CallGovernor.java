package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallObserver;
import io.tenantry.client.CallOptions;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.GovernedCall;
import io.tenantry.client.Governor;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.internal.resilience.CallerResilience;
import io.tenantry.client.internal.resilience.ResilienceStats;
import io.tenantry.client.internal.resilience.ServiceResilience;
import io.tenantry.client.internal.route.HeaderLookup;
import io.tenantry.client.internal.route.RouteRule;
import io.tenantry.client.internal.route.RouteStats;
import io.tenantry.client.internal.route.Router;
import io.tenantry.client.internal.trace.Tracing;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Governor} of a client: one {@link Call} per governed call. Per-service state (counters, and
 * the service's compiled policies) is found once per call by the service's name. Thread-safe.
 */
public final class CallGovernor implements Governor {
  private static final Logger LOG = LoggerFactory.getLogger(CallGovernor.class);
  /** How many services the per-service table holds; past it, state is made per call (and not kept). */
  static final int MAX_SERVICES = 4096;

  final RouteLookup routes;
  final Function<String, Tenant> tenants;
  final LoadBalancer balancer;
  final LoadAware loadAware; // the balancer if it reads the calls' loads, else null
  final Backoff backoff;
  private final CallerResilience resilience;
  final String caller; // this process's service name, or null
  private final String zone; // this process's zone, or null
  private volatile RoutePolicies routePolicies = RoutePolicies.NONE;
  volatile Tracing tracing; // null: no spans, no MDC

  /** The route policies in force: by service, and the one for every service ({@code *}), if any. */
  private record RoutePolicies(Map<String, Policy> byService,
      Policy any) {
    static final RoutePolicies NONE = new RoutePolicies(Map.of(), null);

    Policy of(String service) {
      Policy p = byService.get(service);
      return p != null ? p : any;
    }
  }
  private final CopyOnWriteArrayList<CallObserver> observers = new CopyOnWriteArrayList<>();
  private volatile AttemptRecorder recorder; // the client's meters and statistics, or null
  private final ConcurrentHashMap<String, ServiceCalls> services = new ConcurrentHashMap<>();
  /**
   * Each thread's call object, reused once its call has ended: a governed call then allocates nothing (a
   * {@link GovernedCall} must not be used after its last {@code end}; see there).
   */
  private final ThreadLocal<Call> spare = new ThreadLocal<>();

  /**
   * @param routes  the served instances of a service with their candidates (may wait, bounded, on a first lookup)
   * @param tenants a tenant by id, or null if unknown
   */
  public CallGovernor(RouteLookup routes, Function<String, Tenant> tenants, LoadBalancer balancer,
      Backoff backoff, CallerResilience resilience, String caller, String zone) {
    this.routes = routes;
    this.tenants = tenants;
    this.balancer = balancer;
    this.loadAware = balancer instanceof LoadAware la ? la : null;
    this.backoff = backoff;
    this.resilience = resilience;
    this.caller = caller;
    this.zone = zone;
  }

  @Override
  public GovernedCall begin(String service, String method, String path, CallOptions options) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    String tenant = options.tenant() != null ? options.tenant() : TenantSlot.current();
    return begin(service(service), tenant, method, path, options, null, null);
  }

  /**
   * Begins a call to an already validated service for {@code tenant} (may be null). Attempts: the options' if
   * set, else the service policy's, else the options' default. Timeout: the options' if set, else the service
   * policy's, else {@code transportTimeout} (e.g. the request's own; may be null), else the default.
   */
  Call begin(ServiceCalls service, String tenant, String method, String path, CallOptions options,
      Duration transportTimeout, HttpHeaders headers) {
    ServiceResilience r = service.resilience;
    if (r == null || !resilience.current(r)) {
      r = resilience.forService(service.name());
      service.resilience = r;
    }
    Router router = router(service);
    Tenant record = tenant == null ? null : tenants.apply(tenant);
    RouteRule rule = router == Router.NONE ? null : router.match(tenant, record == null ? null : record.tier(),
        caller, method, path, headers == null || !router.readsHeaders() ? HeaderLookup.NONE : new Lookup(headers));
    int max = options.maxAttemptsSet() || r.maxAttempts() == 0 ? options.maxAttempts() : r.maxAttempts();
    Duration timeout = options.timeoutSet() ? options.timeout()
        : rule != null && rule.timeout() != null ? rule.timeout()
        : r.timeout() != null ? r.timeout() : transportTimeout != null ? transportTimeout : options.timeout();
    Call call = spare.get();
    if (call == null || call.active()) { // the first call on this thread, or a call within a call
      Call fresh = new Call(this);
      if (call == null) {
        spare.set(fresh);
      }
      call = fresh;
    }
    call.begin(service, r, router, rule, tenant, method, path, record, max, timeout);
    return call;
  }

  /** The headers of a JDK request as route rules read them. */
  private record Lookup(HttpHeaders headers) implements HeaderLookup {
    @Override
    public String first(String lowerCaseName) {
      List<String> values = headers.map().get(lowerCaseName);
      if (values == null) { // the JDK keeps names as given; its map is case-insensitive only through firstValue
        return headers.firstValue(lowerCaseName).orElse(null);
      }
      return values.isEmpty() ? null : values.get(0);
    }
  }

  /** Applies the route and resilience policies among {@code policies} to later calls. */
  public void applyPolicies(Collection<Policy> policies) {
    resilience.apply(policies);
    Map<String, Policy> routes = new HashMap<>();
    Policy any = null;
    for (Policy p : policies) {
      if (p.kind() == PolicyKind.ROUTE) {
        if (p.anyService()) {
          any = p;
        } else {
          routes.put(p.service(), p);
        }
      }
    }
    routePolicies = new RoutePolicies(Map.copyOf(routes), any);
  }

  /**
   * The router of calls to {@code service} under the route policies now in force, compiled again only when the
   * service's own policy changed (a router's counters live as long as its policy).
   */
  Router router(ServiceCalls service) {
    RoutePolicies now = routePolicies;
    ServiceCalls.Routing r = service.routing;
    if (r != null && r.source() == now) {
      return r.router();
    }
    Policy p = now.of(service.name());
    Router router;
    if (r != null && r.policy() == p) {
      router = r.router();
    } else {
      try {
        router = Router.compile(service.name(), p, zone);
      } catch (RuntimeException e) {
        LOG.error("route policy {} cannot be applied to service {}; routing without it: {}", p.key(), service.name(),
            e.getMessage());
        router = Router.NONE;
      }
    }
    service.routing = new ServiceCalls.Routing(now, p, router);
    return router;
  }

  /** Counters of the route rules of every service called. */
  public List<RouteStats> routeStats() {
    List<RouteStats> out = new ArrayList<>();
    for (ServiceCalls s : services.values()) {
      ServiceCalls.Routing r = s.routing;
      if (r != null) {
        out.addAll(r.router().stats());
      }
    }
    return out;
  }

  /** Counters of the retry budgets, breakers and ejections of the services called. */
  public ResilienceStats.Caller resilienceStats() {
    return resilience.stats();
  }

  /** The state of {@code name}, validating the name the first time it is seen. */
  ServiceCalls service(String name) {
    ServiceCalls s = services.get(Objects.requireNonNull(name, "service"));
    if (s != null) {
      return s;
    }
    ServiceCalls fresh = new ServiceCalls(Names.name("service", name));
    if (services.size() >= MAX_SERVICES) {
      return fresh;
    }
    s = services.putIfAbsent(name, fresh);
    return s == null ? fresh : s;
  }

  /** Traces every later attempt: a CLIENT span each, and the MDC while it runs. */
  public void trace(Tracing tracing) {
    this.tracing = tracing;
  }

  /** Tells {@code recorder} about every later attempt (the client's own meters and statistics). */
  public void record(AttemptRecorder recorder) {
    this.recorder = recorder;
  }

  public void addObserver(CallObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  public boolean removeObserver(CallObserver observer) {
    return observers.remove(observer);
  }

  void observe(Call call, Instance instance, CallOutcome outcome, int status, long nanos,
      boolean willRetry, boolean failover) {
    AttemptRecorder r = recorder;
    if (r != null) {
      r.attempt(call.serviceCalls(), call.tenant(), call.method(), call.attempt(), outcome, status, nanos, willRetry);
    }
    if (observers.isEmpty()) {
      return;
    }
    CallAttempt a = new CallAttempt(call.service(), call.tenant(), call.method(), instance, call.attempt(), outcome, status,
        Duration.ofNanos(nanos), willRetry, failover);
    for (CallObserver o : observers) {
      try {
        o.onAttempt(a);
      } catch (RuntimeException e) {
        LOG.warn("call observer failed", e);
      }
    }
  }
}
