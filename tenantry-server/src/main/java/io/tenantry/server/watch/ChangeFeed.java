package io.tenantry.server.watch;

import io.tenantry.api.EventType;
import java.util.function.LongFunction;

/**
 * The ordered stream of changes of every namespace: the one source of revisions and the input of
 * every watch. Thread-safe.
 */
public interface ChangeFeed {
  /**
   * Records one change. Under the namespace's ordering lock it takes the next revision, calls
   * {@code change} with it (the caller stores the object, stamped with that revision, and returns it:
   * a durable write may happen inside), appends the event and wakes the watchers. If {@code change}
   * throws, nothing is appended and the exception propagates.
   *
   * @param kind  {@link io.tenantry.api.WatchEvent#KIND_INSTANCE}, {@code KIND_TENANT}, …
   * @param key   the object's key within its kind (service/instance id, tenant id), used for filtering
   * @return the object {@code change} returned
   */
  <T> T append(String namespace, String kind, String key, EventType type, LongFunction<T> change);

  /** As {@link #append}, with a reason for a {@code DELETED} event (see {@link io.tenantry.api.WatchEvent}). */
  <T> T append(String namespace, String kind, String key, EventType type, String reason, LongFunction<T> change);

  /** The latest revision handed out (in any namespace). */
  long currentRevision();

  /**
   * The revision to return with a list of {@code namespace}'s objects read right after this call:
   * every change of the namespace up to it has been applied by its caller, so a watch from it misses
   * nothing (it may repeat a change the list already shows). The default suits a feed without
   * concurrent appends.
   */
  default long listRevision(String namespace) {
    return currentRevision();
  }

  /** Forgets a deleted namespace's history; its watchers are told with a final error and closed. */
  void dropNamespace(String namespace);
}
