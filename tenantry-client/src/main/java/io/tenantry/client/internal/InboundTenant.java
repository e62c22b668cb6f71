package io.tenantry.client.internal;

import io.tenantry.api.Headers;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.ValidationException;
import java.util.function.Function;

/**
 * The tenant of an inbound request, the first decision of the {@link Door}: {@code X-Tenant-Id} first, else
 * baggage {@code tenant.id}; validated with {@link Names}; with a client, a suspended tenant refused; a refusal
 * rendered as problem+json. Stateless.
 */
public final class InboundTenant {
  private InboundTenant() {}

  /** The problem+json answer of a refused decision. */
  static byte[] render(Decision d, String path) {
    return ProblemBodies.render(d, path);
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
  public static Decision decide(String headerValue, String baggage, Function<String, Tenant> tenants) {
    String raw = raw(headerValue, baggage);
    if (raw == null) {
      return Decision.accept(null);
    }
    Decision refused = refusal(raw, tenants);
    return refused != null ? refused : Decision.accept(raw);
  }

  /** The tenant id a request names, not yet validated: {@code X-Tenant-Id}, else baggage; null if none. */
  static String raw(String headerValue, String baggage) {
    // No trim(): it would also strip control characters; servers already drop optional whitespace.
    String raw = headerValue != null && !headerValue.isEmpty() ? headerValue : Baggage.tenant(baggage);
    return raw == null || raw.isEmpty() ? null : raw;
  }

  /**
   * Why a request for {@code tenant} (a {@link #raw} id) is refused, or null if it is accepted: allocates
   * nothing on acceptance, the path of every admitted request.
   */
  static Decision refusal(String tenant, Function<String, Tenant> tenants) {
    try {
      Names.name("tenant", tenant);
    } catch (ValidationException e) {
      return new Decision(null, 400, "invalid-tenant", e.getMessage());
    }
    if (tenants != null) {
      Tenant t = tenants.apply(tenant);
      if (t != null && !t.active()) {
        return suspended(tenant);
      }
    }
    return null;
  }

  /** The refusal of a request that names its tenant in several {@code X-Tenant-Id} headers. */
  static Decision repeated() {
    return new Decision(null, 400, "invalid-tenant", Headers.TENANT_ID + " appears more than once (expected: once;"
        + " a proxy may have added one)");
  }

  /** The refusal of a suspended tenant's request. */
  static Decision suspended(String tenant) {
    return new Decision(null, 403, "tenant-suspended", "tenant: '" + tenant + "' is suspended");
  }
}
