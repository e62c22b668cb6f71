package io.tenantry.client;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.client.internal.Door;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Sets the {@link TenantContext} of a request served by the JDK {@code com.sun.net.httpserver}
 * from {@code X-Tenant-Id}, or else baggage {@code tenant.id}, for exactly the duration of the
 * request: the context is left even when the handler throws. A malformed tenant id is answered with
 * 400 problem+json (type {@code invalid-tenant}); with a client, a suspended tenant with 403
 * (type {@code tenant-suspended}).
 *
 * <p>Thread-safety: thread-safe; one filter may serve every context of a server.
 */
public final class TenantryHttpFilter extends Filter {
  private static final Door SYNTAX_ONLY = Door.syntaxOnly();
  private static final RequestHeaders<HttpExchange> READER = new RequestHeaders<>() {
    @Override
    public String header(HttpExchange exchange, String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String baggage(HttpExchange exchange) {
      List<String> values = exchange.getRequestHeaders().get(Headers.BAGGAGE);
      return values == null || values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  };

  private final TenantryClient client; // null: tenant syntax only

  /** A filter that checks the tenant id's syntax only. */
  public TenantryHttpFilter() {
    this.client = null;
  }

  /**
   * A filter that enforces {@code client}'s governance at this server's door: suspended tenants are refused,
   * and the rate limits, quotas, per-tenant bulkheads and adaptive concurrency limit of the policies governing
   * the client's service ({@code serviceName}) apply. While the client is not running, checks the syntax only.
   */
  public TenantryHttpFilter(TenantryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    ServiceDoor door = client == null ? SYNTAX_ONLY : client.door(SYNTAX_ONLY);
    ServiceDoor.Admission pass = door.enter(exchange, READER, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
    if (pass.refused()) {
      exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
      if (pass.retryAfter() != null) {
        exchange.getResponseHeaders().set("Retry-After", pass.retryAfter());
      }
      exchange.sendResponseHeaders(pass.status(), pass.problem().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(pass.problem());
      }
      return;
    }
    int status = 0;
    try {
      if (pass.tenant() == null) {
        chain.doFilter(exchange);
      } else {
        try (TenantContext.Scope scope = TenantContext.enter(pass.tenant())) {
          chain.doFilter(exchange);
        }
      }
      status = Math.max(0, exchange.getResponseCode());
    } finally {
      door.exit(pass, status);
    }
  }

  @Override
  public String description() {
    return "Tenantry door: tenant context (X-Tenant-Id, baggage tenant.id), rate limits, quotas, bulkheads";
  }
}
