package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.ListResult;
import io.tenantry.api.Namespace;
import io.tenantry.api.NamespaceSpec;
import io.tenantry.server.security.Action;
import io.tenantry.server.security.Principal;
import io.tenantry.server.tenant.NamespaceService;
import io.tenantry.server.watch.ChangeFeed;
import java.util.List;

/** {@link ApiPaths#NAMESPACES} and {@link ApiPaths#NAMESPACE}. */
final class NamespaceRoutes {
  private final NamespaceService namespaces;
  private final ChangeFeed feed;

  private NamespaceRoutes(NamespaceService namespaces, ChangeFeed feed) {
    this.namespaces = namespaces;
    this.feed = feed;
  }

  static void install(RoutesConfig routes, NamespaceService namespaces, ChangeFeed feed) {
    NamespaceRoutes r = new NamespaceRoutes(namespaces, feed);
    routes.get(ApiPaths.NAMESPACES, r::list);
    routes.post(ApiPaths.NAMESPACES, r::create);
    routes.get(ApiPaths.NAMESPACE, r::get);
    routes.put(ApiPaths.NAMESPACE, r::update);
    routes.delete(ApiPaths.NAMESPACE, r::delete);
  }

  /** Platform admins see every namespace; any other key only its own. */
  private void list(Context ctx) {
    Principal p = Requests.principal(ctx);
    long revision = feed.currentRevision();
    List<Namespace> visible = p.platformAdmin()
        ? namespaces.list()
        : namespaces.get(p.namespace()).stream().toList();
    ctx.json(new ListResult<>(revision, visible));
  }

  private void create(Context ctx) {
    Requests.principal(ctx).require(Action.PLATFORM, null);
    Namespace ns = namespaces.create(Requests.body(ctx, NamespaceSpec.class));
    ctx.status(201).header("Location", ApiPaths.expand(ApiPaths.NAMESPACE, ns.name())).json(ns);
  }

  private void get(Context ctx) {
    ctx.json(namespaces.require(Requests.namespace(ctx, Action.READ)));
  }

  private void update(Context ctx) {
    String ns = Requests.namespace(ctx, Action.ADMIN);
    namespaces.require(ns);
    ctx.json(namespaces.update(ns, Requests.body(ctx, NamespaceSpec.class)));
  }

  private void delete(Context ctx) {
    namespaces.delete(Requests.namespace(ctx, Action.PLATFORM));
    ctx.status(204);
  }
}
