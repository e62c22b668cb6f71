package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.ValidationException;
import io.tenantry.server.security.Action;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.watch.InMemoryChangeFeed;
import io.tenantry.server.watch.RevisionGoneException;
import io.tenantry.server.watch.WatchFilter;
import io.tenantry.server.watch.WatchSettings;

/**
 * The watch route: one Server-Sent-Events stream per client carrying all its subscriptions,
 * {@code GET /api/v1/namespaces/{namespace}/watch?kinds=instance,tenant&services=order,payment&revision=N}.
 * Each event is {@code id: <revision>}, {@code event: <type>}, {@code data: <WatchEvent JSON>}; the
 * stream opens with a {@code BOOKMARK}. A resume point comes from {@code Last-Event-ID} (a browser's
 * reconnect) or else {@code ?revision}; one the feed no longer holds answers 410 {@code revision-gone}
 * before streaming, and the client lists again. The stream holds no thread (Servlet non-blocking
 * I/O, see {@link io.tenantry.server.watch.SseStream}). Stateless and thread-safe.
 */
public final class WatchRoutes {
  /** The standard SSE reconnect header. */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  private WatchRoutes() {}

  /** {@code settings} are those the feed was built with; the feed applies them. */
  public static void install(RoutesConfig routes, InMemoryChangeFeed feed, NamespaceDirectory namespaces,
      WatchSettings settings) {
    routes.get(ApiPaths.WATCH, ctx -> {
      String ns = RegistryRoutes.namespace(ctx, Action.READ, namespaces);
      WatchFilter filter;
      try {
        filter = WatchFilter.parse(ctx.queryParam("kinds"), ctx.queryParam("services"));
      } catch (ValidationException e) {
        throw Requests.badInput(e);
      }
      Long from = resumeFrom(ctx);
      if (from != null) {
        try {
          feed.checkResumable(ns, from);
        } catch (RevisionGoneException e) {
          throw new ApiException(410, "revision-gone", e.getMessage(), "revision");
        }
      }
      ctx.future(() -> {
        try {
          return feed.stream(ctx.req(), ctx.res(), ns, filter, from);
        } catch (java.io.IOException e) {
          return java.util.concurrent.CompletableFuture.completedFuture(null); // the client is already gone
        }
      });
    });
  }

  private static Long resumeFrom(Context ctx) {
    Long lastEventId = RegistryRoutes.nonNegative(ctx, LAST_EVENT_ID, ctx.header(LAST_EVENT_ID));
    Long revision = RegistryRoutes.nonNegative(ctx, "revision", ctx.queryParam("revision"));
    return lastEventId != null ? lastEventId : revision;
  }
}
