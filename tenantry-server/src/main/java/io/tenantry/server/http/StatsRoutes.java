package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.stats.StatsEntry;
import io.tenantry.api.stats.StatsReport;
import io.tenantry.server.security.Action;
import io.tenantry.server.stats.StatsQuery;
import io.tenantry.server.stats.StatsStore;
import io.tenantry.server.tenant.NamespaceDirectory;
import java.time.Duration;
import java.util.Map;

/**
 * The statistics routes: an SDK posts what its service served and its calls got ({@code POST .../stats}, a
 * service key or above of the namespace); a reader gets RED figures per service and tenant
 * ({@code GET .../stats?service=&tenant=&window=5m&limit=100}, a viewer key or above), or per instance
 * ({@code by=instance}). Thin: validation comes
 * from the wire records, the work from {@link StatsStore}. Stateless and thread-safe.
 */
public final class StatsRoutes {
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private StatsRoutes() {}

  public static void install(RoutesConfig routes, StatsStore stats, NamespaceDirectory namespaces) {
    Duration slot = stats.settings().slot();
    Duration retention = stats.settings().retention();
    routes.post(ApiPaths.STATS, ctx -> {
      StatsReport report;
      String ns;
      try {
        ns = RegistryRoutes.namespace(ctx, Action.REGISTER, namespaces);
        report = Requests.body(ctx, StatsReport.class);
      } catch (ApiException e) {
        stats.refused();
        throw e;
      }
      int dropped = stats.accept(ns, report);
      int entries = report.served().size() + report.called().size();
      JsonAnswers.write(ctx, 202, Map.of("accepted", entries - dropped, "dropped", dropped));
    });
    routes.get(ApiPaths.STATS, ctx -> {
      String ns = RegistryRoutes.namespace(ctx, Action.READ, namespaces);
      String service = optional(ctx, "service", false);
      String tenant = optional(ctx, "tenant", true);
      Duration window = window(ctx, slot, retention);
      int limit = limit(ctx);
      JsonAnswers.write(ctx, 200, byInstance(ctx) ? StatsQuery.byInstance(stats, ns, service, tenant, window, limit)
          : StatsQuery.page(stats, ns, service, tenant, window, limit));
    });
  }

  /** An optional name parameter; a tenant may also be {@code _other} or {@code _none}. */
  private static String optional(Context ctx, String param, boolean tenant) {
    String raw = ctx.queryParam(param);
    if (raw == null || tenant && (raw.equals(StatsEntry.OTHER) || raw.equals(StatsQuery.NO_TENANT))) {
      return raw;
    }
    try {
      return Names.name(param, raw);
    } catch (ValidationException e) {
      throw Requests.badInput(e);
    }
  }

  /** {@code by}: {@code tenant} (the default: rows per service and tenant) or {@code instance}. */
  private static boolean byInstance(Context ctx) {
    String raw = ctx.queryParam("by");
    if (raw == null || raw.equals("tenant")) {
      return false;
    }
    if (raw.equals("instance")) {
      return true;
    }
    throw ApiException.badRequest("by", "by: '" + Names.shorten(raw) + "' (expected: tenant or instance)");
  }

  private static Duration window(Context ctx, Duration slot, Duration retention) {
    String raw = ctx.queryParam("window");
    if (raw == null) {
      return DEFAULT_WINDOW.compareTo(retention) > 0 ? retention : DEFAULT_WINDOW;
    }
    try {
      return DurationText.parse("window", raw, slot, retention);
    } catch (ValidationException e) {
      throw Requests.badInput(e);
    }
  }

  private static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v >= 1 && v <= MAX_LIMIT) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit", "limit: '" + Names.shorten(raw) + "' (expected: 1.." + MAX_LIMIT + ")");
  }
}
