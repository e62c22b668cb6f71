package io.tenantry.client;

import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.api.ApiPaths;
import io.tenantry.client.internal.Door;
import io.tenantry.client.internal.tx.PhaseTwoEndpoint;
import io.tenantry.client.tx.Transactions;
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
import java.util.Objects;

/**
 * Sets the {@link TenantContext} of a Jakarta Servlet request from {@code X-Tenant-Id}, or else
 * baggage {@code tenant.id}, for exactly the duration of the filter chain (left even when it throws).
 * A malformed tenant id is answered with 400 problem+json (type {@code invalid-tenant}); with a
 * client, a suspended tenant with 403 (type {@code tenant-suspended}). Asynchronous requests keep the
 * context only on the thread that ran the chain. With a client, a request carrying {@code X-Tenantry-Xid} runs with
 * that global transaction current, and the filter itself serves the coordinator's phase-two calls
 * ({@code POST /.well-known/tenantry/tx}; map it to {@code /*} or a pattern that covers that path).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TenantryServletFilter implements Filter {
  private static final Door SYNTAX_ONLY = Door.syntaxOnly();
  private static final RequestHeaders<HttpServletRequest> READER = new RequestHeaders<>() {
    @Override
    public String header(HttpServletRequest request, String name) {
      return request.getHeader(name);
    }

    @Override
    public boolean repeated(HttpServletRequest request, String name) {
      Enumeration<String> values = request.getHeaders(name);
      if (values == null || !values.hasMoreElements()) {
        return false;
      }
      values.nextElement();
      return values.hasMoreElements();
    }

    @Override
    public String baggage(HttpServletRequest request) {
      Enumeration<String> values = request.getHeaders(Headers.BAGGAGE);
      if (values == null || !values.hasMoreElements()) {
        return null;
      }
      String first = values.nextElement();
      return values.hasMoreElements() ? first + "," + String.join(",", Collections.list(values)) : first;
    }
  };

  private final TenantryClient client; // null: tenant syntax only

  /** A filter that checks the tenant id's syntax only. */
  public TenantryServletFilter() {
    this.client = null;
  }

  /**
   * A filter that enforces {@code client}'s governance at this server's door, as {@link TenantryHttpFilter}
   * does.
   */
  public TenantryServletFilter(TenantryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
      chain.doFilter(request, response);
      return;
    }
    PhaseTwoEndpoint phaseTwo = client == null || !ApiPaths.TX_PARTICIPANT.equals(
        http.getRequestURI().substring(http.getContextPath().length())) ? null
        : client.phaseTwo();
    if (phaseTwo != null) {
      PhaseTwoEndpoint.Reply reply = phaseTwo.handle(http, READER, http.getMethod(), http.getContentLengthLong(),
          http.getInputStream());
      out.setStatus(reply.status());
      out.setContentType(reply.contentType());
      out.setContentLength(reply.body().length);
      out.getOutputStream().write(reply.body());
      return;
    }
    ServiceDoor door = client == null ? SYNTAX_ONLY : client.door(SYNTAX_ONLY);
    ServiceDoor.Admission pass = door.enter(http, READER, http.getMethod(), http.getRequestURI());
    if (pass.refused()) {
      out.setStatus(pass.status());
      out.setContentType(Problem.MEDIA_TYPE);
      if (pass.retryAfter() != null) {
        out.setHeader("Retry-After", pass.retryAfter());
      }
      out.setContentLength(pass.problem().length);
      out.getOutputStream().write(pass.problem());
      return;
    }
    int status = 0;
    try {
      if (pass.tenant() == null) {
        chain.doFilter(request, response);
      } else {
        try (TenantContext.Scope scope = TenantContext.enter(pass.tenant());
            Transactions.Scope tx = client == null ? null : client.joinTransaction(pass.xid())) {
          chain.doFilter(request, response);
        }
      }
      status = out.getStatus();
    } finally {
      door.exit(pass, status);
    }
  }
}
