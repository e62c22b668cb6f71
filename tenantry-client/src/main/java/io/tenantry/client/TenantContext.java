package io.tenantry.client;

import io.tenantry.api.Names;
import io.tenantry.client.internal.TenantSlot;
import java.util.Optional;

/**
 * The tenant the current thread works for. Enter a scope for the duration of a request and always
 * close it; closing restores the tenant that was current before, so scopes nest:
 *
 * <pre>{@code
 * try (TenantContext.Scope scope = TenantContext.enter("acme")) {
 *   http.send(...);   // carries X-Tenant-Id: acme and baggage tenant.id=acme
 * }
 * }</pre>
 *
 * <p>While a scope is open, the SLF4J MDC holds its tenant under {@code tenant_id}, so that every log line of the
 * work joins its tenant (closing puts back the previous tenant, or removes the key).
 *
 * <p>Thread-safety: the context is per thread (a {@link ThreadLocal}, kept in the internal TenantSlot,
 * the SDK's one piece of static state); it does not follow work handed to another thread: capture
 * {@link #current()} and enter it there. A {@link Scope} must be closed on the thread that opened it.
 */
public final class TenantContext {
  private TenantContext() {}

  /**
   * Makes {@code tenant} current on this thread until the returned scope is closed.
   *
   * @throws io.tenantry.api.ValidationException if {@code tenant} is null or not a valid tenant id
   */
  public static Scope enter(String tenant) {
    Object[] slot = TenantSlot.get();
    if (tenant == null || !tenant.equals(slot[TenantSlot.VALIDATED])) { // an id validated last time skips the regex
      Names.name("tenant", tenant);
      slot[TenantSlot.VALIDATED] = tenant;
    }
    Object spare = TenantSlot.spare(slot);
    Scope scope;
    if (spare instanceof Scope s && s.closed) {
      scope = s;
    } else {
      scope = new Scope(slot);
      if (spare == null) {
        TenantSlot.keep(slot, scope); // the thread's first scope (or its spare was collected): reused once closed
      }
    }
    String previous = (String) slot[TenantSlot.CURRENT];
    scope.previous = previous;
    scope.tenant = tenant;
    scope.closed = false;
    slot[TenantSlot.CURRENT] = tenant;
    if (!tenant.equals(previous)) {
      TenantSlot.putMdc(TenantSlot.MDC_TENANT, tenant);
    }
    return scope;
  }

  /** The tenant current on this thread, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(TenantSlot.current());
  }

  /**
   * An entered tenant context. {@link #close()} restores the previous tenant (or none); it is idempotent until
   * the thread enters its next scope, and must be called on the thread that entered. A closed scope is not to be
   * used again: the thread reuses it for a later {@link #enter}, so that entering allocates nothing. Not
   * thread-safe.
   */
  public static final class Scope implements AutoCloseable {
    private final Object[] slot; // the entering thread's slot: its identity also says which thread that was
    private String previous;
    private String tenant;
    private boolean closed = true;

    private Scope(Object[] slot) {
      this.slot = slot;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (TenantSlot.get() != slot) {
        throw new IllegalStateException("scope closed on thread " + Thread.currentThread().getName()
            + " (expected: the thread that entered it)");
      }
      closed = true;
      slot[TenantSlot.CURRENT] = previous;
      if (!tenant.equals(previous)) {
        TenantSlot.putMdc(TenantSlot.MDC_TENANT, previous);
      }
      previous = tenant = null;
    }
  }
}
