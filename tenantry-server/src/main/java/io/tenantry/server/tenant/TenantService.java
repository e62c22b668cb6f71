package io.tenantry.server.tenant;

import io.tenantry.api.EventType;
import io.tenantry.api.ListResult;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantSpec;
import io.tenantry.api.WatchEvent;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.TenantStore;
import io.tenantry.server.watch.ChangeFeed;
import java.util.Optional;

/**
 * Tenants of a namespace: create, read, update, list, delete. Every change takes a revision from the
 * {@link ChangeFeed} and is written to the store under it, so it appears on watch streams as a
 * {@link WatchEvent#KIND_TENANT} event. Thread-safe: changes of one namespace are ordered by the feed.
 */
public final class TenantService {
  private final TenantStore store;
  private final ChangeFeed feed;
  private final NamespaceDirectory namespaces;

  public TenantService(TenantStore store, ChangeFeed feed, NamespaceDirectory namespaces) {
    this.store = store;
    this.feed = feed;
    this.namespaces = namespaces;
  }

  /** The tenants of a namespace and the revision the list was taken at (a watch from it misses nothing). */
  public ListResult<Tenant> list(String namespace) {
    requireNamespace(namespace);
    long revision = feed.listRevision(namespace);
    return new ListResult<>(revision, store.list(namespace));
  }

  public Optional<Tenant> get(String namespace, String id) {
    requireNamespace(namespace);
    return store.get(namespace, id);
  }

  /** The tenant or a 404. */
  public Tenant require(String namespace, String id) {
    return get(namespace, id).orElseThrow(() -> notFound(namespace, id));
  }

  /** Creates a tenant; 409 if its id is taken in the namespace, 404 if the namespace does not exist. */
  public Tenant create(String namespace, TenantSpec spec) {
    requireNamespace(namespace);
    return feed.append(namespace, WatchEvent.KIND_TENANT, spec.id(), EventType.ADDED, rev -> {
      requireNamespace(namespace);
      Tenant t = Tenant.of(namespace, spec, rev);
      if (!store.insert(t)) {
        throw ApiException.conflict("tenant '" + spec.id() + "' exists in namespace '" + namespace + "'");
      }
      return t;
    });
  }

  /** Replaces tenant {@code id} with {@code spec}; 404 if there is no such tenant. */
  public Tenant update(String namespace, String id, TenantSpec spec) {
    if (!id.equals(spec.id())) {
      throw ApiException.badRequest("id", "id: '" + spec.id() + "' (expected: '" + id + "', the id in the path)");
    }
    require(namespace, id);
    return feed.append(namespace, WatchEvent.KIND_TENANT, id, EventType.MODIFIED, rev -> {
      Tenant t = Tenant.of(namespace, spec, rev);
      if (!store.update(t)) {
        throw notFound(namespace, id);
      }
      return t;
    });
  }

  /** Deletes a tenant; 404 if there is no such tenant. */
  public void delete(String namespace, String id) {
    Tenant last = require(namespace, id);
    feed.append(namespace, WatchEvent.KIND_TENANT, id, EventType.DELETED, WatchEvent.REASON_DELETED, rev -> {
      if (!store.delete(namespace, id)) {
        throw notFound(namespace, id);
      }
      return new Tenant(namespace, id, last.tier(), last.status(), last.isolation(), last.labels(), rev);
    });
  }

  private void requireNamespace(String namespace) {
    if (!namespaces.exists(namespace)) {
      throw ApiException.notFound("namespace '" + namespace + "'");
    }
  }

  private static ApiException notFound(String namespace, String id) {
    return ApiException.notFound("tenant '" + id + "' in namespace '" + namespace + "'");
  }
}
