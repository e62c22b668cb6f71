package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.CreatedApiKey;
import io.tenantry.api.ListResult;
import io.tenantry.server.security.Action;
import io.tenantry.server.security.ApiKeyService;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.watch.ChangeFeed;

/** {@link ApiPaths#KEYS} and {@link ApiPaths#KEY}: namespace admins manage the keys of their namespace. */
final class KeyRoutes {
  private final ApiKeyService keys;
  private final NamespaceDirectory namespaces;
  private final ChangeFeed feed;

  private KeyRoutes(ApiKeyService keys, NamespaceDirectory namespaces, ChangeFeed feed) {
    this.keys = keys;
    this.namespaces = namespaces;
    this.feed = feed;
  }

  static void install(RoutesConfig routes, ApiKeyService keys, NamespaceDirectory namespaces, ChangeFeed feed) {
    KeyRoutes r = new KeyRoutes(keys, namespaces, feed);
    routes.get(ApiPaths.KEYS, r::list);
    routes.post(ApiPaths.KEYS, r::create);
    routes.delete(ApiPaths.KEY, r::revoke);
  }

  private void list(Context ctx) {
    String ns = Requests.namespace(ctx, Action.ADMIN);
    long revision = feed.listRevision(ns);
    ctx.json(new ListResult<>(revision, keys.list(ns)));
  }

  private void create(Context ctx) {
    String ns = Existing.namespace(namespaces, Requests.namespace(ctx, Action.ADMIN));
    CreatedApiKey created = keys.create(ns, Requests.body(ctx, ApiKeySpec.class));
    ctx.status(201).header("Location", ApiPaths.expand(ApiPaths.KEY, ns, created.key().id())).json(created);
  }

  private void revoke(Context ctx) {
    String ns = Requests.namespace(ctx, Action.ADMIN);
    keys.revoke(ns, Requests.id(ctx, "key"));
    ctx.status(204);
  }
}
