package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.alert.AlertEvent;
import io.tenantry.server.alert.AlertService;
import io.tenantry.server.alert.HistoryQuery;
import io.tenantry.server.security.Action;
import java.util.Map;
import java.util.function.Function;

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
    ctx.json(Map.of("items", alerts.active(ns, name(ctx, "service"), name(ctx, "tenant"), instance(ctx),
        param(ctx, "severity", AlertSpec.Severity::of))));
  }

  private void history(Context ctx) {
    String ns = Requests.namespace(ctx, Action.READ);
    Long before = positive(ctx, "before");
    Long limit = positive(ctx, "limit");
    // the service refuses a limit over its maximum; a huge one must not wrap around on the way there
    int pageSize = limit == null ? AlertService.DEFAULT_HISTORY_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE);
    HistoryQuery query = new HistoryQuery(name(ctx, "service"), name(ctx, "tenant"), instance(ctx),
        param(ctx, "severity", AlertSpec.Severity::of), name(ctx, "policy"), name(ctx, "rule"),
        param(ctx, "state", AlertEvent.State::of), before == null ? Long.MAX_VALUE : before, pageSize);
    ctx.json(alerts.history(ns, query));
  }

  /** An optional query parameter that must be a DNS-label name. */
  private static String name(Context ctx, String param) {
    return param(ctx, param, v -> Names.name(param, v));
  }

  /** The optional query parameter {@code instance}: an instance id. */
  private static String instance(Context ctx) {
    return param(ctx, "instance", v -> Names.id("instance", v));
  }

  /** An optional query parameter parsed by {@code parse}, whose {@link ValidationException} answers 400. */
  private static <T> T param(Context ctx, String param, Function<String, T> parse) {
    String raw = ctx.queryParam(param);
    if (raw == null) {
      return null;
    }
    try {
      return parse.apply(raw);
    } catch (ValidationException e) {
      throw ApiException.badRequest(param, param + ": " + e.reason());
    }
  }

  /** An optional query parameter that must be a whole number of at least 1. */
  private static Long positive(Context ctx, String param) {
    return param(ctx, param, raw -> {
      try {
        long value = Long.parseLong(raw);
        if (value >= 1) {
          return value;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new ValidationException(param, "'" + Names.shorten(raw) + "' (expected: a whole number >= 1)");
    });
  }
}
