package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.api.ValidationException;
import io.tenantry.client.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches a JDK {@code HttpServer} exchange to the route whose method and path match, and answers
 * every failure as problem+json: a bad body is a 400, an unknown path a 404, a wrong method a 405, a
 * bug a 500 that is logged. Routes are added before the server starts; thread-safe afterwards.
 */
final class Router implements HttpHandler {
  static final int MAX_BODY = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** A request as a handler sees it: the exchange, the path's groups and a way to read the body. */
  record Request(HttpExchange exchange, Matcher path, ObjectMapper json) {
    String param(int group) {
      return path.group(group);
    }

    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    <T> T body(Class<T> type) {
      byte[] bytes = readBody(exchange);
      if (bytes.length == 0) {
        throw new HttpProblem(400, "invalid-body", "body: empty (expected: a JSON object)");
      }
      try {
        T value = json.readValue(bytes, type);
        if (value == null) {
          throw new HttpProblem(400, "invalid-body", "body: null (expected: a JSON object)");
        }
        return value;
      } catch (UnrecognizedPropertyException e) {
        throw new HttpProblem(400, "invalid-body", "body: unknown field '" + e.getPropertyName() + "'", e.getPropertyName());
      } catch (MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        throw new HttpProblem(400, "invalid-body", "body: " + (field == null ? "" : field + ": ")
            + "wrong type or shape (expected: " + type.getSimpleName() + " as JSON)", field);
      } catch (JsonProcessingException e) {
        if (e.getCause() instanceof ValidationException v) {
          throw new HttpProblem(400, "invalid-request", v.getMessage(), v.field());
        }
        throw new HttpProblem(400, "invalid-body", "body: malformed JSON at " + e.getLocation());
      } catch (IOException e) {
        throw new HttpProblem(400, "invalid-body", "body: unreadable");
      }
    }
  }

  /** What a route answers: a status and a body to write as JSON (null for none). */
  record Response(int status, Object body) {}

  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  private record Route(String method, Pattern path, Handler handler) {}

  /** A handler of a tenant's request: the tenant is known and counted before it runs. */
  @FunctionalInterface
  interface TenantHandler {
    Response handle(String tenant, Request request) throws IOException;
  }

  private final List<Route> routes = new ArrayList<>();
  private final ObjectMapper json;
  private final Counters counters;

  Router(ObjectMapper json, Counters counters) {
    this.json = json;
    this.counters = counters;
  }

  /**
   * A route served for a tenant: the tenant comes from the tenant context (set by the inbound filter
   * from X-Tenant-Id or baggage), never from the body; a request without one is a 400.
   */
  Router tenantRoute(String method, String pathRegex, TenantHandler handler) {
    return route(method, pathRegex, request -> {
      String tenant = TenantContext.current().orElseThrow(() -> new HttpProblem(400, "tenant-required",
          Headers.TENANT_ID + ": missing (expected: the tenant this request is served for)", Headers.TENANT_ID));
      counters.increment(tenant, "requests");
      return handler.handle(tenant, request);
    });
  }

  Router route(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try {
      Response response = dispatch(exchange, path);
      send(exchange, response.status(), "application/json",
          response.body() == null ? new byte[0] : json.writeValueAsBytes(response.body()));
    } catch (HttpProblem p) {
      sendProblem(exchange, p, path);
    } catch (ValidationException v) {
      sendProblem(exchange, new HttpProblem(400, "invalid-request", v.getMessage(), v.field()), path);
    } catch (RuntimeException e) {
      log.error("{} {} failed", exchange.getRequestMethod(), path, e);
      sendProblem(exchange, new HttpProblem(500, "internal-error", "the request failed; see the service's log"), path);
    } finally {
      exchange.close();
    }
  }

  private Response dispatch(HttpExchange exchange, String path) throws IOException {
    boolean pathKnown = false;
    for (Route r : routes) {
      Matcher m = r.path().matcher(path);
      if (m.matches()) {
        pathKnown = true;
        if (r.method().equals(exchange.getRequestMethod())) {
          return r.handler().handle(new Request(exchange, m, json));
        }
      }
    }
    if (pathKnown) {
      throw new HttpProblem(405, "method-not-allowed", "method: " + exchange.getRequestMethod() + " not allowed on " + path);
    }
    throw new HttpProblem(404, "not-found", "path: " + path + " (no such resource)");
  }

  private void sendProblem(HttpExchange exchange, HttpProblem p, String path) throws IOException {
    send(exchange, p.status(), Problem.MEDIA_TYPE, json.writeValueAsBytes(p.toProblem(path)));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    drain(exchange);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** Reads at most {@link #MAX_BODY} bytes; more is a 413. */
  private static byte[] readBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new HttpProblem(413, "body-too-large", "body: more than " + MAX_BODY + " bytes (expected: at most " + MAX_BODY + ")");
      }
      return bytes;
    } catch (IOException e) {
      throw new HttpProblem(400, "invalid-body", "body: unreadable");
    }
  }

  /** Discards what a handler left unread (bounded) so the connection can be reused. */
  private static void drain(HttpExchange exchange) {
    // read, not skip: the JDK's fixed-length body stream inherits a skip() that ignores its length and blocks
    try {
      exchange.getRequestBody().readNBytes(MAX_BODY);
    } catch (IOException | RuntimeException ignored) {
      // already read and closed, or the peer went away: nothing left to drain
    }
  }
}
