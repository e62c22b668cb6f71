package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.server.policy.PolicyService;
import io.tenantry.server.policy.Rollback;
import io.tenantry.server.security.Action;
import io.tenantry.server.tenant.NamespaceDirectory;

/**
 * {@link ApiPaths#POLICIES}, {@link ApiPaths#POLICY}, {@link ApiPaths#POLICY_HISTORY} and
 * {@link ApiPaths#POLICY_ROLLBACK}. Reading needs {@link Action#READ}, writing {@link Action#OPERATE}.
 * Answers that carry a policy carry its version as {@code ETag: "<version>"}; writes honour
 * {@code If-Match: "<version>"}.
 */
final class PolicyRoutes {
  private final PolicyService policies;
  private final NamespaceDirectory namespaces;

  private PolicyRoutes(PolicyService policies, NamespaceDirectory namespaces) {
    this.policies = policies;
    this.namespaces = namespaces;
  }

  static void install(RoutesConfig routes, PolicyService policies, NamespaceDirectory namespaces) {
    PolicyRoutes r = new PolicyRoutes(policies, namespaces);
    routes.get(ApiPaths.POLICIES, r::list);
    routes.get(ApiPaths.POLICY, r::get);
    routes.put(ApiPaths.POLICY, r::put);
    routes.delete(ApiPaths.POLICY, r::delete);
    routes.get(ApiPaths.POLICY_HISTORY, r::history);
    routes.post(ApiPaths.POLICY_ROLLBACK, r::rollback);
  }

  private void list(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    String kind = ctx.queryParam("kind");
    String service = ctx.queryParam("service");
    try {
      ctx.json(policies.list(ns, kind == null ? null : PolicyKind.of(kind),
          service == null ? null : PolicySpec.service(service)));
    } catch (ValidationException e) {
      throw Requests.badInput(e);
    }
  }

  private void get(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    send(ctx, 200, policies.require(ns, kind(ctx), Requests.name(ctx, "name")));
  }

  private void put(Context ctx) {
    String ns = Existing.namespace(namespaces, Requests.namespace(ctx, Action.OPERATE));
    PolicyKind kind = kind(ctx);
    String name = Requests.name(ctx, "name");
    Long ifMatch = ifMatch(ctx);
    PolicySpec spec = Requests.body(ctx, PolicySpec.class);
    PolicyService.Written w = policies.put(ns, kind, name, spec, ifMatch, Requests.principal(ctx).keyId());
    if (w.created()) {
      ctx.header("Location", ApiPaths.expand(ApiPaths.POLICY, ns, kind.wire(), name));
    }
    send(ctx, w.created() ? 201 : 200, w.policy());
  }

  private void delete(Context ctx) {
    String ns = Requests.namespace(ctx, Action.OPERATE);
    policies.delete(ns, kind(ctx), Requests.name(ctx, "name"), ifMatch(ctx), Requests.principal(ctx).keyId());
    ctx.status(204);
  }

  private void history(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    PolicyKind kind = kind(ctx);
    String name = Requests.name(ctx, "name");
    Long before = Requests.queryPositive(ctx, "before");
    Long limit = Requests.queryPositive(ctx, "limit");
    // the service refuses a limit over its maximum; a huge one must not wrap around on the way there
    int pageSize = limit == null ? PolicyService.DEFAULT_HISTORY_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE);
    ctx.json(policies.history(ns, kind, name, before, pageSize));
  }

  private void rollback(Context ctx) {
    String ns = Existing.namespace(namespaces, Requests.namespace(ctx, Action.OPERATE));
    PolicyKind kind = kind(ctx);
    String name = Requests.name(ctx, "name");
    Long ifMatch = ifMatch(ctx);
    Rollback body = Requests.body(ctx, Rollback.class);
    PolicyService.Written w = policies.rollback(ns, kind, name, body.version(), ifMatch,
        Requests.principal(ctx).keyId());
    send(ctx, 200, w.policy());
  }

  private static void send(Context ctx, int status, Policy policy) {
    ctx.status(status).header("ETag", "\"" + policy.version() + "\"").json(policy);
  }

  private static PolicyKind kind(Context ctx) {
    try {
      return PolicyKind.of(ctx.pathParam("kind"));
    } catch (ValidationException e) {
      throw Requests.badInput(e);
    }
  }

  /** {@code If-Match: "<version>"} (quotes optional), or null without the header. */
  private static Long ifMatch(Context ctx) {
    String header = ctx.header("If-Match");
    if (header == null) {
      return null;
    }
    String v = header.trim();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      long version = Long.parseLong(v);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("If-Match", "If-Match: '" + Names.shorten(header)
        + "' (expected: the quoted version of the policy, such as \"3\")");
  }
}
