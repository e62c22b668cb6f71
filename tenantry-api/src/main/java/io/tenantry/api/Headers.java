package io.tenantry.api;

/** The HTTP headers and baggage keys Tenantry reads and writes. */
public final class Headers {
  /** The tenant a request is served for. */
  public static final String TENANT_ID = "X-Tenant-Id";
  /** W3C baggage header; Tenantry puts the tenant under {@link #BAGGAGE_TENANT}. */
  public static final String BAGGAGE = "baggage";
  public static final String BAGGAGE_TENANT = "tenant.id";
  public static final String AUTHORIZATION = "Authorization";
  public static final String BEARER = "Bearer ";
  /** The calling service's name, set by the SDK on outbound calls. */
  public static final String CALLER = "X-Tenantry-Caller";
  /** Which attempt of a governed call this is, starting at 1. */
  public static final String ATTEMPT = "X-Tenantry-Attempt";
  /** The global transaction a call runs in (an xid), set by the SDK while one is current. */
  public static final String XID = "X-Tenantry-Xid";

  private Headers() {}
}
