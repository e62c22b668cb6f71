package io.tenantry.client;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.tenantry.api.Headers;
import io.tenantry.api.Problem;
import io.tenantry.api.ApiPaths;
import io.tenantry.client.internal.Door;
import io.tenantry.client.internal.tx.PhaseTwoEndpoint;
import io.tenantry.client.tx.Transactions;
import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Sets the {@link TenantContext} of a request served by the JDK {@code com.sun.net.httpserver}
 * from {@code X-Tenant-Id}, or else baggage {@code tenant.id}, for exactly the duration of the
 * request: the context is left even when the handler throws. A malformed tenant id is answered with
 * 400 problem+json (type {@code invalid-tenant}); with a client, a suspended tenant with 403
 * (type {@code tenant-suspended}). With a client, a request carrying {@code X-Tenantry-Xid} runs its handler with
 * that global transaction current, and the filter itself serves the coordinator's phase-two calls
 * ({@code POST /.well-known/tenantry/tx}; mount it on the context {@code /} or one that covers that path).
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
    public boolean repeated(HttpExchange exchange, String name) {
      List<String> values = exchange.getRequestHeaders().get(name);
      return values != null && values.size() > 1;
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
    PhaseTwoEndpoint phaseTwo = client == null || !ApiPaths.TX_PARTICIPANT.equals(exchange.getRequestURI().getRawPath())
        ? null : client.phaseTwo();
    if (phaseTwo != null) {
      servePhaseTwo(exchange, phaseTwo);
      return;
    }
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
        try (TenantContext.Scope scope = TenantContext.enter(pass.tenant());
            Transactions.Scope tx = client == null ? null : client.joinTransaction(pass.xid())) {
          chain.doFilter(exchange);
        }
      }
      status = Math.max(0, exchange.getResponseCode());
    } finally {
      door.exit(pass, status);
    }
  }

  private static void servePhaseTwo(HttpExchange exchange, PhaseTwoEndpoint endpoint) throws IOException {
    PhaseTwoEndpoint.Reply reply;
    try (InputStream in = exchange.getRequestBody()) {
      reply = endpoint.handle(exchange, READER, exchange.getRequestMethod(),
          contentLength(exchange.getRequestHeaders().getFirst("Content-Length")), in);
    }
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    if (reply.status() == 413) { // the body was left unread: the connection cannot carry another request
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(reply.status(), reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  private static long contentLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String description() {
    return "Tenantry door: tenant context (X-Tenant-Id, baggage tenant.id), rate limits, quotas, bulkheads";
  }
}
