package io.tenantry.client.internal.resilience;

import com.netflix.concurrency.limits.Limiter;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.ResilienceSpec;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side's resilience for this process's own service: the {@link TenantBulkhead} and the
 * {@link AdaptiveLimiter}, configured from the service's own {@code resilience} policy, else the namespace's
 * {@code *} one, else none (every call is let in). Both keep their counts of calls in progress across policy
 * changes. Thread-safe.
 *
 * <p>Per inbound call: {@link #tryEnter} (false: 429), then {@link #acquire} (empty: {@link #exit} and 503); when
 * the call ends, the listener's outcome, then {@link #exit}.
 */
public final class InboundResilience {
  private static final Logger LOG = LoggerFactory.getLogger(InboundResilience.class);

  private final String service;
  private final TenantBulkhead bulkhead = new TenantBulkhead(null, false);
  private final AdaptiveLimiter adaptive;
  private volatile ResilienceSpec spec;
  private volatile boolean dryRun;

  /** @param service this process's service name */
  public InboundResilience(String service, LongSupplier nanoTime) {
    this.service = Objects.requireNonNull(service, "service");
    this.adaptive = new AdaptiveLimiter(null, false, nanoTime);
  }

  /** The resilience policies now in force (other kinds are ignored). */
  public synchronized void apply(Collection<Policy> all) {
    Policy own = null;
    Policy any = null;
    for (Policy p : all) {
      if (p.kind() == PolicyKind.RESILIENCE) {
        if (service.equals(p.service())) {
          own = p;
        } else if (PolicySpec.ANY_SERVICE.equals(p.service())) {
          any = p;
        }
      }
    }
    Policy chosen = own != null ? own : any;
    ResilienceSpec parsed = null;
    if (chosen != null) {
      try {
        parsed = PolicySpecs.parse(chosen.spec(), ResilienceSpec.class);
      } catch (RuntimeException e) {
        LOG.warn("resilience policy {} skipped: {}", chosen.key(), e.getMessage());
      }
    }
    configure(parsed, parsed != null && chosen.dryRun());
  }

  /** Applies {@code newSpec} (null: none). */
  public synchronized void configure(ResilienceSpec newSpec, boolean newDryRun) {
    bulkhead.configure(newSpec == null ? null : newSpec.bulkhead(), newDryRun);
    adaptive.configure(newSpec == null ? null : newSpec.adaptiveConcurrency(), newDryRun);
    spec = newSpec;
    dryRun = newDryRun;
  }

  /** See {@link TenantBulkhead#tryAcquire}. */
  public boolean tryEnter(String tenant, String tier) {
    return bulkhead.tryAcquire(tenant, tier);
  }

  /** See {@link TenantBulkhead#release}. */
  public void exit(String tenant) {
    bulkhead.release(tenant);
  }

  /** See {@link AdaptiveLimiter#acquire}. */
  public Optional<Limiter.Listener> acquire() {
    return adaptive.acquire();
  }

  public TenantBulkhead bulkhead() {
    return bulkhead;
  }

  public AdaptiveLimiter adaptive() {
    return adaptive;
  }

  public ResilienceStats.Inbound stats() {
    return new ResilienceStats.Inbound(spec != null, dryRun, bulkhead.refused(), bulkhead.wouldRefuse(),
        bulkhead.refusedByTenant(), adaptive.limit(), adaptive.inFlight(), adaptive.refused(), adaptive.wouldRefuse());
  }
}
