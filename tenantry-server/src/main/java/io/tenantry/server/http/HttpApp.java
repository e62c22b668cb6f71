package io.tenantry.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Names;
import io.tenantry.server.policy.PolicyService;
import io.tenantry.server.security.ApiKeyService;
import io.tenantry.server.store.ParentGoneException;
import io.tenantry.server.tenant.NamespaceService;
import io.tenantry.server.tenant.TenantService;
import io.tenantry.server.watch.ChangeFeed;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP application: authentication before every {@code /api/**} route,
 * problem+json for every error, health, metrics and the OpenAPI document, and the routes of the
 * areas. Thin: every decision is made in the area it belongs to.
 */
public final class HttpApp {
  /** Where the OpenAPI document is served (anonymously). */
  public static final String OPENAPI = ApiPaths.BASE + "/openapi.yaml";

  private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);
  private static final String STARTED = "tenantry.started";
  /**
   * How long a stop waits for the requests in flight to be answered before it closes their connections;
   * watch streams and long-polls are ended before it (see {@code TenantryServer#close}), so it is
   * short: far under a client's request timeout.
   */
  public static final long STOP_TIMEOUT_MILLIS = 2_000;
  private static final String API_PREFIX = ApiPaths.BASE + "/";
  private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);

  /** What the HTTP layer calls into. */
  public record Services(NamespaceService namespaces, TenantService tenants, PolicyService policies, ApiKeyService keys,
      ChangeFeed feed, PrometheusMeterRegistry metrics, BooleanSupplier healthy) {}

  private HttpApp() {}

  /**
   * A configured, not yet started, Javalin app on {@code host:port}; {@code moreRoutes} installs the
   * routes of other areas (transactions, registry, watch, …), ahead of the core ones.
   */
  public static Javalin create(String host, int port, Services services, List<Consumer<RoutesConfig>> moreRoutes) {
    return create(host, port, services, moreRoutes, Requests.MAX_BODY_BYTES);
  }

  /**
   * As {@link #create(String, int, Services, List)}, letting bodies up to {@code maxBodyBytes} reach the routes
   * (the span collector takes larger bodies than the rest of the API, which still refuses more than
   * {@link Requests#MAX_BODY_BYTES}).
   */
  public static Javalin create(String host, int port, Services services, List<Consumer<RoutesConfig>> moreRoutes,
      int maxBodyBytes) {
    return Javalin.create(config -> {
      configureServer(config, host, port, Math.max(maxBodyBytes, Requests.MAX_BODY_BYTES));
      RoutesConfig routes = config.routes;
      AuthFilter auth = new AuthFilter(services.keys(), OPENAPI);
      // One filter on "*" that compares the API's prefix itself, as "/api/v1/*" would match: Javalin matches any
      // other filter path with a regular expression, on every request.
      routes.before(ctx -> {
        startTimer(ctx);
        if (ctx.path().startsWith(API_PREFIX)) {
          auth.handle(ctx);
          requireJsonBody(ctx);
        }
      });
      RequestTimers timers = new RequestTimers(services.metrics());
      routes.after(ctx -> recordMetrics(ctx, timers));
      errors(routes);
      // Javalin tries a method's routes in the order they were added: the hot ones (transactions, heartbeats)
      // first; no two routes' paths overlap, so the order changes nothing else
      moreRoutes.forEach(r -> r.accept(routes));
      SystemRoutes.install(routes, services.metrics(), services.healthy());
      NamespaceRoutes.install(routes, services.namespaces(), services.feed());
      TenantRoutes.install(routes, services.tenants(), services.namespaces());
      PolicyRoutes.install(routes, services.policies(), services.namespaces());
      KeyRoutes.install(routes, services.keys(), services.namespaces(), services.feed());
    });
  }

  private static void configureServer(JavalinConfig config, String host, int port, int maxBodyBytes) {
    config.jetty.host = host;
    config.jetty.port = port;
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = Requests.MAX_BODY_BYTES;
    config.jsonMapper(new JavalinJackson(Requests.mapper(), false));
    ProblemErrorHandler jettyErrors = new ProblemErrorHandler();
    config.jetty.modifyServer(server -> {
      server.setErrorHandler(jettyErrors);
      // Graceful stop: the connectors stop accepting first, then requests in flight are awaited (GracefulHandler)
      // for at most this long, then every connection is closed. Without it a stop cuts requests mid-way.
      server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    });
    config.jetty.modifyServletContextHandler(handler -> {
      // Jetty caches a filter chain per request path, and clears the cache whenever it holds 1,024 of them: with
      // an id in most paths (every transaction's xid) it was cleared every 1,024 requests and never hit. There are
      // no servlet filters (Javalin's filters are its own), so the chain is only the servlet: nothing to cache.
      handler.getServletHandler().setFilterChainsCached(false);
      handler.setErrorHandler(jettyErrors);
      handler.insertHandler(new GracefulHandler());
      // Refuses bodies over the limit inside Jetty, before any of them is buffered by the application.
      handler.insertHandler(new SizeLimitHandler(maxBodyBytes, -1));
    });
  }

  private static void errors(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, e));
    // a namespace deleted between the request's check that it exists and its write
    routes.exception(ParentGoneException.class, (e, ctx) -> Problems.write(ctx, ApiException.notFound("namespace '"
        + Names.shorten(String.valueOf(ctx.pathParamMap().get("namespace"))) + "' (deleted while the request ran)")));
    routes.exception(HttpResponseException.class, (e, ctx) -> {
      int status = e.getStatus();
      String detail = status == 404 ? "no route " + ctx.method() + " " + ctx.path()
          : status == 405 ? "method " + ctx.method() + " is not allowed on " + ctx.path()
          : e.getMessage();
      Problems.write(ctx, status, Problems.typeOf(status), detail, null);
    });
    routes.exception(Exception.class, (e, ctx) -> {
      String id = UUID.randomUUID().toString();
      LOG.error("unexpected failure of {} {} (error id {})", ctx.method(), ctx.path(), id, e);
      Problems.write(ctx, 500, "internal-error", "internal error (id " + id + "); the server log has the details", null);
    });
    for (int status : new int[] {404, 405, 413}) {
      routes.error(status, ctx -> {
        if (ctx.attribute(Problems.WRITTEN) == null) {
          String detail = status == 404 ? "no route " + ctx.method() + " " + ctx.path() : Problems.title(status);
          Problems.write(ctx, status, Problems.typeOf(status), detail, null);
        }
      });
    }
  }

  /** A body must be JSON of at most {@link Requests#MAX_BODY_BYTES}; an empty body (heartbeat, delete) needs no content type. */
  private static void requireJsonBody(Context ctx) {
    if (!WITH_BODY.contains(ctx.method())) {
      return;
    }
    // Jetty's own limit is the span collector's larger one: the rest of the API refuses more at once, unread
    if (ctx.contentLength() > Requests.MAX_BODY_BYTES) {
      throw new ApiException(413, "payload-too-large",
          "body of " + ctx.contentLength() + " bytes (expected: at most " + Requests.MAX_BODY_BYTES + ")");
    }
    String type = ctx.contentType();
    boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    if (type == null ? hasBody : !isJson(type)) {
      throw new ApiException(415, "unsupported-media-type",
          "Content-Type: " + (type == null ? "missing" : "'" + type + "'") + " (expected: application/json)");
    }
  }

  private static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return media.equalsIgnoreCase("application/json")
        || media.regionMatches(true, media.length() - 5, "+json", 0, 5);
  }

  private static void startTimer(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
  }

  private static void recordMetrics(Context ctx, RequestTimers timers) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    timers.of(ctx.method().name(), matched == null ? "unmatched" : matched.path, ctx.statusCode())
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }
}
