package io.tenantry.client;

/**
 * Told about every attempt of every governed call, after it ends. Thread-safety: called on the
 * calling thread, concurrently for concurrent calls; must be thread-safe and quick. An exception
 * thrown here is logged and ignored.
 */
@FunctionalInterface
public interface CallObserver {
  void onAttempt(CallAttempt attempt);
}
