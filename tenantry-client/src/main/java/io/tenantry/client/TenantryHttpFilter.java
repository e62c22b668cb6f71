package io.tenantry.client;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.client.internal.InboundTenant;
import java.io.IOException;
import java.io.OutputStream;

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
  private final InboundTenant inbound;

  /** A filter that checks the tenant id's syntax only. */
  public TenantryHttpFilter() {
    this.inbound = InboundTenant.syntaxOnly();
  }

  /** A filter that also refuses tenants {@code client} knows as suspended. */
  public TenantryHttpFilter(TenantryClient client) {
    this.inbound = InboundTenant.checking(client);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    InboundTenant.Admission a = inbound.admit(exchange.getRequestHeaders().getFirst(Headers.TENANT_ID),
        exchange.getRequestHeaders().get(Headers.BAGGAGE), exchange.getRequestURI().getRawPath());
    if (a.refused()) {
      exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
      exchange.sendResponseHeaders(a.status(), a.problem().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(a.problem());
      }
      return;
    }
    if (a.tenant() == null) {
      chain.doFilter(exchange);
      return;
    }
    try (TenantContext.Scope scope = TenantContext.enter(a.tenant())) {
      chain.doFilter(exchange);
    }
  }

  @Override
  public String description() {
    return "Tenantry tenant context (X-Tenant-Id, baggage tenant.id)";
  }
}
