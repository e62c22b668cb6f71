package io.tenantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A registry under load, seen through its HTTP API: how to register, renew and read instance
 * {@code i}. Instances are laid out {@link #PER_SERVICE} to a service, the same for every system, so
 * that every system carries the same load. Implementations are immutable and thread-safe.
 */
interface RegistryTarget {
  int PER_SERVICE = 10;

  /** The name results are filed under: {@code tenantry}, {@code eureka}. */
  String system();

  InetSocketAddress address();

  /** Creates what the load needs before it starts (a namespace, a key); called once. */
  void prepare() throws IOException, InterruptedException;

  byte[] register(long i);

  byte[] heartbeat(long i);

  byte[] deregister(long i);

  /** Reads the instances of the service of instance {@code i}. */
  byte[] read(long i);

  /** A request that renews {@code count} instances from {@code first} at once, or null if there is none. */
  default byte[] heartbeatBatch(long first, int count) {
    return null;
  }

  static long service(long i) {
    return i / PER_SERVICE;
  }
}
