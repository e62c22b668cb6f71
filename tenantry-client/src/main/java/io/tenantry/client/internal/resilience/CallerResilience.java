package io.tenantry.client.internal.resilience;

import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.ResilienceSpec;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling side's resilience, one {@link ServiceResilience} per called service, each compiled from the
 * service's own {@code resilience} policy, else the namespace's {@code *} one, else the defaults (retry budget
 * only). {@link #apply} swaps the policies in one step; each service's configuration is recompiled on its next
 * call (an identity check per call), reusing its long-lived state. Thread-safe.
 *
 * <p>At most {@value #MAX_SERVICES} services are tracked; calls to services beyond that share one configuration
 * and one budget (a process calling that many services is misusing service names).
 */
public final class CallerResilience {
  private static final Logger LOG = LoggerFactory.getLogger(CallerResilience.class);
  static final int MAX_SERVICES = 1024;
  static final String OVERFLOW = "*";

  /** The compiled policies: by service, with {@code *} for the namespace's default. Immutable. */
  private record Policies(Map<String, ResilienceSpec> specs, Map<String, Boolean> dryRun) {
    static final Policies NONE = new Policies(Map.of(), Map.of());
  }

  private final ConcurrentHashMap<String, ServiceResilience> services = new ConcurrentHashMap<>();
  private final Clock clock;
  private final LongSupplier nanoTime;
  private volatile Policies policies = Policies.NONE;

  /**
   * @param clock    the wall clock of the circuit breakers
   * @param nanoTime the monotonic clock of budgets and ejections
   */
  public CallerResilience(Clock clock, LongSupplier nanoTime) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  public static CallerResilience system() {
    return new CallerResilience(Clock.systemUTC(), System::nanoTime);
  }

  /**
   * The resilience policies now in force (every policy of kind {@code resilience} the client holds; others are
   * ignored). A spec that does not parse is logged and skipped (the control plane validated it).
   */
  public void apply(Collection<Policy> all) {
    Map<String, ResilienceSpec> specs = new HashMap<>();
    Map<String, Boolean> dryRun = new HashMap<>();
    for (Policy p : all) {
      if (p.kind() != PolicyKind.RESILIENCE) {
        continue;
      }
      try {
        ResilienceSpec spec = PolicySpecs.parse(p.spec(), ResilienceSpec.class);
        ResilienceSpec clash = specs.put(p.service(), spec);
        if (clash != null) {
          LOG.warn("two resilience policies for service '{}': {} applies", p.service(), p.key());
        }
        dryRun.put(p.service(), p.dryRun());
      } catch (RuntimeException e) {
        LOG.warn("resilience policy {} skipped: {}", p.key(), e.getMessage());
      }
    }
    policies = new Policies(Map.copyOf(specs), Map.copyOf(dryRun));
  }

  /** True if {@code r} is compiled from the policies now in force. */
  public boolean current(ServiceResilience r) {
    return r.source == policies;
  }

  /** The configuration of calls to {@code service}, compiled from the policies now in force. */
  public ServiceResilience forService(String service) {
    Policies now = policies;
    ServiceResilience current = services.get(service);
    if (current != null && current.source == now) {
      return current;
    }
    if (current == null && services.size() >= MAX_SERVICES) {
      service = OVERFLOW;
    }
    return services.compute(service, (name, previous) -> previous != null && previous.source == policies
        ? previous : compile(name, previous));
  }

  private ServiceResilience compile(String service, ServiceResilience previous) {
    Policies now = policies;
    String key = now.specs.containsKey(service) ? service : PolicySpec.ANY_SERVICE;
    ResilienceSpec spec = now.specs.get(key);
    boolean dryRun = spec != null && now.dryRun.get(key);
    return ServiceResilience.compile(service, spec, dryRun, previous, now, clock, nanoTime);
  }

  /**
   * Forgets the ejection records of {@code service}'s instances that are no longer registered; call when its
   * served instances change. Does nothing for a service not called yet.
   */
  public void retain(String service, Collection<io.tenantry.api.Instance> instances) {
    ServiceResilience s = services.get(service);
    if (s != null) {
      s.retain(instances);
    }
  }

  /** A snapshot of the counters of every called service. */
  public ResilienceStats.Caller stats() {
    Map<String, ResilienceStats.Service> out = new HashMap<>();
    services.forEach((name, s) -> out.put(name, s.stats()));
    return new ResilienceStats.Caller(out);
  }
}
