package io.tenantry.client.internal;

/**
 * The per-thread state behind {@link io.tenantry.client.TenantContext}, here so that the governed call
 * can read the current tenant without an Optional. Per thread a String[2]: [0] the current tenant or
 * null, [1] the last tenant id validated on the thread (entering it again skips the regex). A String[]
 * (no SDK type) stays on the thread after the last scope closes, so that entering and closing allocate
 * no map entry and a pooled thread pins no class loader.
 *
 * <p>Thread-safety: each thread sees only its own slot. Not API: use {@code TenantContext}.
 */
public final class TenantSlot {
  private static final ThreadLocal<String[]> SLOT = ThreadLocal.withInitial(() -> new String[2]);

  private TenantSlot() {}

  /** This thread's slot: [0] current tenant, [1] last validated. */
  public static String[] get() {
    return SLOT.get();
  }

  /** The tenant current on this thread, or null. */
  public static String current() {
    return SLOT.get()[0];
  }
}
