package io.tenantry.client.internal;

import java.lang.ref.WeakReference;
import org.slf4j.MDC;

/**
 * The per-thread state behind {@link io.tenantry.client.TenantContext}, here so that the governed call
 * can read the current tenant without an Optional. Per thread an Object[3]: [0] the current tenant (a String)
 * or null, [1] the last tenant id validated on the thread (entering it again skips the regex), [2] a weak
 * reference to the thread's spare scope, reused once closed, or null. Only JDK types stay on the thread after
 * the last scope closes (the spare scope is weakly held), so that entering and closing allocate nothing and a
 * pooled thread pins no class loader.
 *
 * <p>Thread-safety: each thread sees only its own slot. Not API: use {@code TenantContext}.
 */
public final class TenantSlot {
  public static final int CURRENT = 0;
  public static final int VALIDATED = 1;
  public static final int SPARE = 2;
  /** The MDC key of the current tenant: set while a tenant context is open (and by a call for another tenant). */
  public static final String MDC_TENANT = "tenant_id";
  private static final ThreadLocal<Object[]> SLOT = ThreadLocal.withInitial(() -> new Object[3]);

  private TenantSlot() {}

  /** This thread's slot: see the class comment. */
  public static Object[] get() {
    return SLOT.get();
  }

  /** The tenant current on this thread, or null. */
  public static String current() {
    return (String) SLOT.get()[CURRENT];
  }

  /** The spare object kept in {@code slot}, or null (never kept or collected since). */
  public static Object spare(Object[] slot) {
    return slot[SPARE] instanceof WeakReference<?> r ? r.get() : null;
  }

  /** Sets {@code key} in the MDC to {@code value}, or removes it if null. */
  public static void putMdc(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Keeps {@code spare} in {@code slot}, weakly. */
  public static void keep(Object[] slot, Object spare) {
    slot[SPARE] = new WeakReference<>(spare);
  }
}
