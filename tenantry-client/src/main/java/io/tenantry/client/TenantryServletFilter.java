package io.tenantry.client;

import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.client.internal.InboundTenant;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Sets the {@link TenantContext} of a Jakarta Servlet request from {@code X-Tenant-Id}, or else
 * baggage {@code tenant.id}, for exactly the duration of the filter chain (left even when it throws).
 * A malformed tenant id is answered with 400 problem+json (type {@code invalid-tenant}); with a
 * client, a suspended tenant with 403 (type {@code tenant-suspended}). Asynchronous requests keep the
 * context only on the thread that ran the chain.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TenantryServletFilter implements Filter {
  private final InboundTenant inbound;

  /** A filter that checks the tenant id's syntax only. */
  public TenantryServletFilter() {
    this.inbound = InboundTenant.syntaxOnly();
  }

  /** A filter that also refuses tenants {@code client} knows as suspended. */
  public TenantryServletFilter(TenantryClient client) {
    this.inbound = InboundTenant.checking(client);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
      chain.doFilter(request, response);
      return;
    }
    Enumeration<String> baggage = http.getHeaders(Headers.BAGGAGE);
    InboundTenant.Admission a = inbound.admit(http.getHeader(Headers.TENANT_ID),
        baggage == null ? null : Collections.list(baggage), http.getRequestURI());
    if (a.refused()) {
      out.setStatus(a.status());
      out.setContentType(Problem.MEDIA_TYPE);
      out.setContentLength(a.problem().length);
      out.getOutputStream().write(a.problem());
      return;
    }
    if (a.tenant() == null) {
      chain.doFilter(request, response);
      return;
    }
    try (TenantContext.Scope scope = TenantContext.enter(a.tenant())) {
      chain.doFilter(request, response);
    }
  }
}
