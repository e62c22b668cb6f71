package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The anonymous routes: health, Prometheus metrics and the OpenAPI document. */
final class SystemRoutes {
  private SystemRoutes() {}

  static void install(RoutesConfig routes, PrometheusMeterRegistry metrics, BooleanSupplier healthy) {
    byte[] openapi = openapi();
    routes.get(ApiPaths.HEALTH, ctx -> {
      boolean up = healthy.getAsBoolean();
      ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN"));
    });
    routes.get(ApiPaths.METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    routes.get(HttpApp.OPENAPI, ctx -> ctx.contentType("application/yaml").result(openapi));
  }

  private static byte[] openapi() {
    try (InputStream in = SystemRoutes.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
