package io.tenantry.server.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the control plane's own pools: daemon threads (a forgotten pool never keeps
 * the JVM alive) named {@code name-1}, {@code name-2}, ... so a thread dump says whose they are.
 * Stateless; each factory is thread-safe.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
