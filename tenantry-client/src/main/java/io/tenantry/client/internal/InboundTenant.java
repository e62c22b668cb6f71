package io.tenantry.client.internal;

import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.ValidationException;
import io.tenantry.client.TenantryClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tenant of an inbound request, the whole decision shared by the HTTP server adapters (each adapter
 * only reads headers and writes the answer): {@code X-Tenant-Id} first, else baggage {@code tenant.id};
 * validated with {@link Names}; with a client, a suspended tenant refused; a refusal rendered as
 * problem+json. Immutable and thread-safe.
 */
public final class InboundTenant {
  private final Function<String, Optional<Tenant>> tenants;
  private final ProblemBodies problems = new ProblemBodies();

  private InboundTenant(Function<String, Optional<Tenant>> tenants) {
    this.tenants = tenants;
  }

  /** Checks the tenant id's syntax only. */
  public static InboundTenant syntaxOnly() {
    return new InboundTenant(null);
  }

  /** Also refuses tenants {@code client} knows as suspended; while it is not running, checks the syntax only. */
  public static InboundTenant checking(TenantryClient client) {
    Objects.requireNonNull(client, "client");
    return new InboundTenant(id -> {
      try {
        return client.tenant(id);
      } catch (IllegalStateException notRunning) { // not started or closed: check the syntax only
        return Optional.empty();
      }
    });
  }

  /** The tenant lookup of the suspension check, or null for syntax only. */
  Function<String, Optional<Tenant>> lookup() {
    return tenants;
  }

  /** The problem+json answer of a refused decision. */
  byte[] render(Decision d, String path) {
    return problems.render(d, path);
  }

  /** What an adapter does with one request: enter {@code tenant} (null: none), or answer {@code status} with {@code problem}. */
  public record Admission(String tenant, int status, byte[] problem) {
    public boolean refused() {
      return status != 0;
    }
  }

  /**
   * Admits a request to {@code path} with {@code headerValue} (X-Tenant-Id, may be null) and the values
   * of its baggage headers ({@code baggage}, null or empty for none).
   */
  public Admission admit(String headerValue, List<String> baggage, String path) {
    Decision d = decide(headerValue, baggage == null || baggage.isEmpty() ? null : String.join(",", baggage), tenants);
    return d.refused() ? new Admission(null, d.status(), problems.render(d, path)) : new Admission(d.tenant(), 0, null);
  }

  /** The decision for one request: a tenant (or none) to enter, or a refusal with status and detail. */
  public record Decision(String tenant, int status, String type, String detail) {
    static Decision accept(String tenant) {
      return new Decision(tenant, 0, null, null);
    }

    public boolean refused() {
      return status != 0;
    }
  }

  /**
   * Decides what to do with a request carrying {@code headerValue} (X-Tenant-Id, may be null) and
   * {@code baggage} (may be null). {@code tenants} looks a tenant up (may be null: no suspension check);
   * a tenant unknown to it is accepted, since the client may not have seen it yet.
   */
  public static Decision decide(String headerValue, String baggage, Function<String, Optional<Tenant>> tenants) {
    // No trim(): it would also strip control characters; servers already drop optional whitespace.
    String raw = headerValue != null && !headerValue.isEmpty() ? headerValue : Baggage.tenant(baggage);
    if (raw == null || raw.isEmpty()) {
      return Decision.accept(null);
    }
    String tenant;
    try {
      tenant = Names.name("tenant", raw);
    } catch (ValidationException e) {
      return new Decision(null, 400, "invalid-tenant", e.getMessage());
    }
    if (tenants != null) {
      Optional<Tenant> t = tenants.apply(tenant);
      if (t.isPresent() && !t.get().active()) {
        return new Decision(null, 403, "tenant-suspended", "tenant: '" + tenant + "' is suspended");
      }
    }
    return Decision.accept(tenant);
  }
}
