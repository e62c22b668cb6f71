package io.tenantry.server.registry;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instances of one service. The map is read without locks (heartbeats, lists); changes happen
 * under the namespace lock. {@link #revision} is the revision of the service's last change, which a
 * long-poll compares its index with.
 */
final class ServiceState {
  final String name;
  final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
  /** Long-polls waiting for the next change. */
  final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();
  volatile long revision;

  ServiceState(String name) {
    this.name = name;
  }

  /** Wakes every waiting long-poll. */
  void changed(long newRevision) {
    revision = newRevision;
    if (!waiters.isEmpty()) {
      for (CompletableFuture<Void> w : waiters) {
        waiters.remove(w);
        w.complete(null);
      }
    }
  }
}
