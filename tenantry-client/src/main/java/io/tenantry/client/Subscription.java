package io.tenantry.client;

/** A registered listener; {@link #close()} removes it (idempotent). Thread-safe. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
