package io.tenantry.client;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.api.Tenant;
import io.tenantry.client.internal.InboundTenant;
import io.tenantry.client.internal.ProblemBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
  private final Function<String, Optional<Tenant>> tenants;
  private final ProblemBodies problems = new ProblemBodies();

  /** A filter that checks the tenant id's syntax only. */
  public TenantryHttpFilter() {
    this.tenants = null;
  }

  /** A filter that also refuses tenants {@code client} knows as suspended. */
  public TenantryHttpFilter(TenantryClient client) {
    java.util.Objects.requireNonNull(client, "client");
    this.tenants = id -> {
      try {
        return client.tenant(id);
      } catch (IllegalStateException notRunning) { // not started or closed: check the syntax only
        return Optional.empty();
      }
    };
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    List<String> baggage = exchange.getRequestHeaders().get(Headers.BAGGAGE);
    InboundTenant.Decision d = InboundTenant.decide(exchange.getRequestHeaders().getFirst(Headers.TENANT_ID),
        baggage == null ? null : String.join(",", baggage), tenants);
    if (d.refused()) {
      byte[] body = problems.render(d, exchange.getRequestURI().getRawPath());
      exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
      exchange.sendResponseHeaders(d.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    if (d.tenant() == null) {
      chain.doFilter(exchange);
      return;
    }
    try (TenantContext.Scope scope = TenantContext.enter(d.tenant())) {
      chain.doFilter(exchange);
    }
  }

  @Override
  public String description() {
    return "Tenantry tenant context (X-Tenant-Id, baggage tenant.id)";
  }
}
