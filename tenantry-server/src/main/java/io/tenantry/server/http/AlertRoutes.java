package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Names;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.alert.AlertEvent;
import io.tenantry.server.alert.AlertService;
import io.tenantry.server.alert.HistoryQuery;
import io.tenantry.server.security.Action;
import java.util.Map;

/**
 * {@link #ALERTS} (the pending and firing alerts) and {@link #HISTORY} (fired and resolved events, newest
 * first, paged with {@code before}). Both need {@link Action#READ} in the namespace. Every filter is optional.
 */
public final class AlertRoutes {
  public static final String ALERTS = ApiPaths.NAMESPACE + "/alerts";
  public static final String HISTORY = ALERTS + "/history";

  private final AlertService alerts;

  private AlertRoutes(AlertService alerts) {
    this.alerts = alerts;
  }

  public static void install(RoutesConfig routes, AlertService alerts) {
    AlertRoutes r = new AlertRoutes(alerts);
    routes.get(ALERTS, r::active);
    routes.get(HISTORY, r::history);
  }

  private void active(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    ctx.json(Map.of("items", alerts.active(ns, Requests.queryName(ctx, "service"), Requests.queryName(ctx, "tenant"), instance(ctx),
        Requests.query(ctx, "severity", AlertSpec.Severity::of))));
  }

  private void history(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    Long before = Requests.queryPositive(ctx, "before");
    Long limit = Requests.queryPositive(ctx, "limit");
    // the service refuses a limit over its maximum; a huge one must not wrap around on the way there
    int pageSize = limit == null ? AlertService.DEFAULT_HISTORY_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE);
    HistoryQuery query = new HistoryQuery(Requests.queryName(ctx, "service"), Requests.queryName(ctx, "tenant"), instance(ctx),
        Requests.query(ctx, "severity", AlertSpec.Severity::of), Requests.queryName(ctx, "policy"), Requests.queryName(ctx, "rule"),
        Requests.query(ctx, "state", AlertEvent.State::of), before == null ? Long.MAX_VALUE : before, pageSize);
    ctx.json(alerts.history(ns, query));
  }

  /** The optional query parameter {@code instance}: an instance id. */
  private static String instance(Context ctx) {
    return Requests.query(ctx, "instance", v -> Names.id("instance", v));
  }
}
