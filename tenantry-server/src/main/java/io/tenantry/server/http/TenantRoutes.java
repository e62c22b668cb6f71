package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Tenant;
import io.tenantry.api.TenantSpec;
import io.tenantry.server.security.Action;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.tenant.TenantService;

/** {@link ApiPaths#TENANTS} and {@link ApiPaths#TENANT}. */
final class TenantRoutes {
  private final TenantService tenants;
  private final NamespaceDirectory namespaces;

  private TenantRoutes(TenantService tenants, NamespaceDirectory namespaces) {
    this.tenants = tenants;
    this.namespaces = namespaces;
  }

  static void install(RoutesConfig routes, TenantService tenants, NamespaceDirectory namespaces) {
    TenantRoutes r = new TenantRoutes(tenants, namespaces);
    routes.get(ApiPaths.TENANTS, r::list);
    routes.post(ApiPaths.TENANTS, r::create);
    routes.get(ApiPaths.TENANT, r::get);
    routes.put(ApiPaths.TENANT, r::update);
    routes.delete(ApiPaths.TENANT, r::delete);
  }

  private void list(Context ctx) {
    ctx.json(tenants.list(Requests.namespace(ctx, Action.READ)));
  }

  private void create(Context ctx) {
    String ns = Existing.namespace(namespaces, Requests.namespace(ctx, Action.ADMIN));
    Tenant t = tenants.create(ns, Requests.body(ctx, TenantSpec.class));
    ctx.status(201).header("Location", ApiPaths.expand(ApiPaths.TENANT, ns, t.id())).json(t);
  }

  private void get(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    ctx.json(tenants.require(ns, Requests.name(ctx, "tenant")));
  }

  private void update(Context ctx) {
    String ns = Existing.namespace(namespaces, Requests.namespace(ctx, Action.OPERATE));
    String id = Requests.name(ctx, "tenant");
    tenants.require(ns, id);
    ctx.json(tenants.update(ns, id, Requests.body(ctx, TenantSpec.class)));
  }

  private void delete(Context ctx) {
    String ns = Requests.namespace(ctx, Action.ADMIN);
    tenants.delete(ns, Requests.name(ctx, "tenant"));
    ctx.status(204);
  }
}
