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
    String[] slot = TenantSlot.get(); // [0] current, [1] last validated: an equal id skips the regex
    if (tenant == null || !tenant.equals(slot[1])) {
      Names.name("tenant", tenant);
      slot[1] = tenant;
    }
    String previous = slot[0];
    slot[0] = tenant;
    return new Scope(slot, previous);
  }

  /** The tenant current on this thread, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(TenantSlot.current());
  }

  /**
   * An entered tenant context. {@link #close()} restores the previous tenant (or none); it is
   * idempotent and must be called on the thread that entered. Not thread-safe.
   */
  public static final class Scope implements AutoCloseable {
    private final String[] slot; // the entering thread's slot: its identity also says which thread that was
    private final String previous;
    private boolean closed;

    private Scope(String[] slot, String previous) {
      this.slot = slot;
      this.previous = previous;
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
      slot[0] = previous;
    }
  }
}
