package io.tenantry.server.tenant;

import io.tenantry.api.EventType;
import io.tenantry.api.Namespace;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.api.WatchEvent;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.NamespaceStore;
import io.tenantry.server.watch.ChangeFeed;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespaces: create, read, update, list, delete. Every change takes a revision from the
 * {@link ChangeFeed} and is written to the store under it; all namespaces are also held in memory, so
 * {@link #exists} costs no store access. Deleting a namespace deletes its tenants and keys (the
 * store cascades), drops its history from the feed and tells {@code onDrop} (registry, key cache).
 * Thread-safe: changes of one namespace are ordered by the feed.
 */
public final class NamespaceService implements NamespaceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceService.class);

  private final NamespaceStore store;
  private final ChangeFeed feed;
  private final Clock clock;
  private final Consumer<String> onDrop;
  private final Map<String, Namespace> cache = new ConcurrentHashMap<>();

  /**
   * @param onDrop called with a namespace's name after it was deleted, to drop its state elsewhere
   */
  public NamespaceService(NamespaceStore store, ChangeFeed feed, Clock clock, Consumer<String> onDrop) {
    this.store = store;
    this.feed = feed;
    this.clock = clock;
    this.onDrop = onDrop;
  }

  /** Loads every namespace into memory. Call once before serving. */
  public void start() {
    cache.clear();
    store.list().forEach(ns -> cache.put(ns.name(), ns));
  }

  @Override
  public boolean exists(String namespace) {
    return namespace != null && cache.containsKey(namespace);
  }

  public Optional<Namespace> get(String name) {
    return Optional.ofNullable(cache.get(name));
  }

  /** The namespace or a 404. */
  public Namespace require(String name) {
    return get(name).orElseThrow(() -> ApiException.notFound("namespace '" + name + "'"));
  }

  /** Every namespace, ordered by name. */
  public List<Namespace> list() {
    return cache.values().stream().sorted(Comparator.comparing(Namespace::name)).toList();
  }

  /** Creates a namespace; 409 if it exists. */
  public Namespace create(NamespaceSpec spec) {
    Namespace created = feed.append(spec.name(), WatchEvent.KIND_NAMESPACE, spec.name(), EventType.ADDED, rev -> {
      Namespace ns = new Namespace(spec.name(), spec.description(), clock.instant(), rev);
      if (cache.containsKey(ns.name()) || !store.insert(ns)) {
        throw ApiException.conflict("namespace '" + ns.name() + "' exists");
      }
      cache.put(ns.name(), ns);
      return ns;
    });
    LOG.info("namespace {} created", created.name());
    return created;
  }

  /** Replaces the description of namespace {@code name}; 404 if it does not exist. */
  public Namespace update(String name, NamespaceSpec spec) {
    if (!name.equals(spec.name())) {
      throw ApiException.badRequest("name", "name: '" + spec.name() + "' (expected: '" + name + "', the name in the path)");
    }
    require(name);
    return feed.append(name, WatchEvent.KIND_NAMESPACE, name, EventType.MODIFIED, rev -> {
      Namespace old = require(name);
      Namespace ns = new Namespace(name, spec.description(), old.createdAt(), rev);
      if (!store.update(ns)) {
        throw ApiException.notFound("namespace '" + name + "'");
      }
      cache.put(name, ns);
      return ns;
    });
  }

  /** Deletes a namespace and everything in it; 404 if it does not exist. */
  public void delete(String name) {
    require(name);
    feed.append(name, WatchEvent.KIND_NAMESPACE, name, EventType.DELETED, WatchEvent.REASON_DELETED, rev -> {
      Namespace old = require(name);
      store.delete(name);
      cache.remove(name);
      return new Namespace(name, old.description(), old.createdAt(), rev);
    });
    feed.dropNamespace(name);
    onDrop.accept(name);
    LOG.info("namespace {} deleted with its tenants, keys and instances", name);
  }
}
