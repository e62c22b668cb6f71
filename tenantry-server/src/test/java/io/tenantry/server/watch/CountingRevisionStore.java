package io.tenantry.server.watch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link RevisionStore} in memory that counts reservations; survives a "restart" if the test keeps it. */
public final class CountingRevisionStore implements RevisionStore {
  private final AtomicLong next = new AtomicLong(1);
  private final AtomicInteger reservations = new AtomicInteger();

  @Override
  public long reserve(long size) {
    reservations.incrementAndGet();
    return next.getAndAdd(size);
  }

  public int reservations() {
    return reservations.get();
  }
}
