package io.tenantry.client;

import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.api.Tenant;
import io.tenantry.client.internal.InboundTenant;
import io.tenantry.client.internal.ProblemBodies;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.function.Function;

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
  private final Function<String, Optional<Tenant>> tenants;
  private final ProblemBodies problems = new ProblemBodies();

  /** A filter that checks the tenant id's syntax only. */
  public TenantryServletFilter() {
    this.tenants = null;
  }

  /** A filter that also refuses tenants {@code client} knows as suspended. */
  public TenantryServletFilter(TenantryClient client) {
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
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
      chain.doFilter(request, response);
      return;
    }
    java.util.Enumeration<String> values = http.getHeaders(Headers.BAGGAGE);
    String baggage = values == null || !values.hasMoreElements() ? null
        : String.join(",", Collections.list(values));
    InboundTenant.Decision d = InboundTenant.decide(http.getHeader(Headers.TENANT_ID), baggage, tenants);
    if (d.refused()) {
      byte[] body = problems.render(d, http.getRequestURI());
      out.setStatus(d.status());
      out.setContentType(Problem.MEDIA_TYPE);
      out.setContentLength(body.length);
      out.getOutputStream().write(body);
      return;
    }
    if (d.tenant() == null) {
      chain.doFilter(request, response);
      return;
    }
    try (TenantContext.Scope scope = TenantContext.enter(d.tenant())) {
      chain.doFilter(request, response);
    }
  }
}
