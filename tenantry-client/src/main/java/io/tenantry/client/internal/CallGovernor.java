package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallObserver;
import io.tenantry.client.CallOptions;
import io.tenantry.client.GovernedCall;
import io.tenantry.client.Governor;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.internal.resilience.CallerResilience;
import io.tenantry.client.internal.resilience.ServiceResilience;
import java.time.Duration;
import java.util.List;
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

  final Function<String, Routes> routes;
  final Function<String, Tenant> tenants;
  final LoadBalancer balancer;
  final LoadAware loadAware; // the balancer if it reads the calls' loads, else null
  final Backoff backoff;
  private final CallerResilience resilience;
  private final CopyOnWriteArrayList<CallObserver> observers = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, ServiceCalls> services = new ConcurrentHashMap<>();

  /**
   * @param routes  the served instances of a service with their candidates (may wait, bounded, on a first lookup)
   * @param tenants a tenant by id, or null if unknown
   */
  public CallGovernor(Function<String, Routes> routes, Function<String, Tenant> tenants, LoadBalancer balancer,
      Backoff backoff, CallerResilience resilience) {
    this.routes = routes;
    this.tenants = tenants;
    this.balancer = balancer;
    this.loadAware = balancer instanceof LoadAware la ? la : null;
    this.backoff = backoff;
    this.resilience = resilience;
  }

  @Override
  public GovernedCall begin(String service, String method, String path, CallOptions options) {
    Objects.requireNonNull(options, "options");
    String tenant = options.tenant() != null ? options.tenant() : TenantSlot.current();
    return begin(service(service), tenant, method, path, options, null);
  }

  /**
   * Begins a call to an already validated service for {@code tenant} (may be null). Attempts: the options' if
   * set, else the service policy's, else the options' default. Timeout: the options' if set, else the service
   * policy's, else {@code transportTimeout} (e.g. the request's own; may be null), else the default.
   */
  Call begin(ServiceCalls service, String tenant, String method, String path, CallOptions options,
      Duration transportTimeout) {
    ServiceResilience r = resilience.forService(service.name());
    int max = options.maxAttemptsSet() || r.maxAttempts() == 0 ? options.maxAttempts() : r.maxAttempts();
    Duration timeout = options.timeoutSet() ? options.timeout()
        : r.timeout() != null ? r.timeout() : transportTimeout != null ? transportTimeout : options.timeout();
    Call call = new Call(this, service, r, tenant, max, timeout);
    call.first();
    return call;
  }

  /** Applies the resilience policies among {@code policies} to later calls. */
  public void applyPolicies(java.util.Collection<io.tenantry.api.policy.Policy> policies) {
    resilience.apply(policies);
  }

  /** Counters of the retry budgets, breakers and ejections of the services called. */
  public io.tenantry.client.internal.resilience.ResilienceStats.Caller resilienceStats() {
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

  public void addObserver(CallObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  public boolean removeObserver(CallObserver observer) {
    return observers.remove(observer);
  }

  /** Per-service counters of calls, attempts and retries, for the client's stats. */
  public List<ServiceCalls> serviceCalls() {
    return List.copyOf(services.values());
  }

  void observe(Call call, Instance instance, io.tenantry.client.CallOutcome outcome, int status, long nanos,
      boolean willRetry, boolean failover) {
    if (observers.isEmpty()) {
      return;
    }
    CallAttempt a = new CallAttempt(call.service(), call.tenant(), instance, call.attempt(), outcome, status,
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
