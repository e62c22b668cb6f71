package io.tenantry.server.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Problem;
import io.tenantry.api.Role;
import io.tenantry.server.registry.Registry;
import io.tenantry.server.registry.RegistrySettings;
import io.tenantry.server.security.Principal;
import io.tenantry.server.watch.CountingRevisionStore;
import io.tenantry.server.watch.InMemoryChangeFeed;
import io.tenantry.server.watch.WatchSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Javalin server on port 0 with only the registry and watch routes, a stub principal
 * (namespace-admin of {@code shop}) and a minimal problem+json renderer standing in for the real
 * auth filter and error handler.
 */
final class RouteFixture implements AutoCloseable {
  static final String NS = "shop";

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final WatchSettings watchSettings;
  final InMemoryChangeFeed feed;
  final Registry registry;
  final Javalin app;
  final HttpClient client = HttpClient.newHttpClient();

  RouteFixture(WatchSettings watchSettings, int maxThreads) {
    this(watchSettings, maxThreads, 0);
  }

  /** {@code idleTimeoutMillis} > 0 shortens Jetty's connection idle timeout (30 s by default). */
  RouteFixture(WatchSettings watchSettings, int maxThreads, long idleTimeoutMillis) {
    quietLogs();
    this.watchSettings = watchSettings;
    this.feed = new InMemoryChangeFeed(new CountingRevisionStore(), watchSettings, meters);
    this.registry = new Registry(RegistrySettings.defaults(), feed, Clock.systemUTC(), meters);
    Principal principal = new Principal("test-key", Role.NAMESPACE_ADMIN, NS);
    this.app = Javalin.create(cfg -> {
      if (maxThreads > 0) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, 4);
        pool.setName("test-jetty");
        cfg.jetty.threadPool = pool;
      }
      cfg.routes.before(ctx -> ctx.attribute(Requests.PRINCIPAL, principal));
      cfg.routes.exception(ApiException.class, (e, ctx) ->
          problem(ctx, e.status(), e.type(), e.getMessage(), e.field()));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) ->
          problem(ctx, e.getStatus(), "http-" + e.getStatus(), e.getMessage(), null));
      cfg.routes.exception(Exception.class, (e, ctx) -> problem(ctx, 500, "internal", String.valueOf(e), null));
      RegistryRoutes.install(cfg.routes, registry, ns -> ns.equals(NS) || ns.equals("other"), watchSettings);
      WatchRoutes.install(cfg.routes, feed, ns -> ns.equals(NS) || ns.equals("other"), watchSettings);
    }).start(0);
    if (idleTimeoutMillis > 0) { // applies to connections opened from now on
      for (var c : app.jettyServer().server().getConnectors()) {
        ((org.eclipse.jetty.server.AbstractConnector) c).setIdleTimeout(idleTimeoutMillis);
      }
    }
    registry.start();
    feed.start();
  }

  /** Without a logback-test.xml logback logs DEBUG; Jetty's DEBUG output would swamp the test. */
  private static void quietLogs() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
  }

  RouteFixture() {
    this(WatchSettings.defaults(), 0);
  }

  private static void problem(io.javalin.http.Context ctx, int status, String type, String detail, String field) {
    Problem p = new Problem(Problem.TYPE_PREFIX + type, type, status, detail, ctx.path(), field, null);
    try {
      ctx.status(status).contentType(Problem.MEDIA_TYPE).result(Requests.mapper().writeValueAsBytes(p));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + app.port() + path);
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    feed.close();
    registry.close();
    app.stop();
  }
}
