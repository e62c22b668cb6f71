package io.tenantry.client;

import io.tenantry.api.Instance;

/**
 * One instance this process registered. The client heartbeats it and registers it again after a lost
 * lease or a control-plane restart, until {@link #close()}.
 *
 * <p>Thread-safety: thread-safe.
 */
public interface Registration extends AutoCloseable {
  /** The service registered to. */
  String service();

  /**
   * The instance as the control plane last answered it; before the first successful registration
   * (control plane unreachable) the spec as an instance with revision 0.
   */
  Instance instance();

  /** True while the control plane is known to hold the registration. */
  boolean registered();

  /**
   * Leaves gracefully: marks the instance {@code DRAINING} so callers stop choosing it, then
   * deregisters it. Idempotent; never throws (a failure is logged: the lease then expires).
   */
  @Override
  void close();
}
