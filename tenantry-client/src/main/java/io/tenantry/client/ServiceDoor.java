package io.tenantry.client;

/**
 * The door of a governed service, for any server (Netty, Vert.x, gRPC, …), as {@link TenantryHttpFilter} and
 * {@link TenantryServletFilter} use it: everything decided about an inbound request before its handler runs.
 * In order: the tenant (a valid id, not suspended: 400/403), the transaction id if any (well-formed, with a tenant: 400), the rate limits and quotas of the service's
 * policies (429 with {@code Retry-After}), the tenant's bulkhead (429) and the adaptive concurrency limit (503).
 *
 * <pre>{@code
 * ServiceDoor door = client.door();
 * ServiceDoor.Admission a = door.enter(request, HEADERS, method, path);
 * if (a.refused()) {
 *   respond(a.status(), a.retryAfter(), "application/problem+json", a.problem());
 *   return;
 * }
 * int status = 0;
 * try (TenantContext.Scope s = a.tenant() == null ? null : TenantContext.enter(a.tenant());
 *     Transactions.Scope tx = a.xid() == null ? null : client.transactions().join(a.xid())) {
 *   status = handle(request);
 * } finally {
 *   door.exit(a, status);
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; policies are swapped under it as they change.
 */
public interface ServiceDoor {
  /**
   * Decides on one request.
   *
   * @param headers reads a header of {@code request}
   * @param method  the HTTP method (or the operation, for other protocols), matched by limits
   * @param path    the raw path without the query, matched by limits
   */
  <R> Admission enter(R request, RequestHeaders<? super R> headers, String method, String path);

  /** Lets an admitted request out after its handler answered {@code status} (0 if it failed without one). */
  void exit(Admission admission, int status);

  /** How a request passed the door. Immutable. */
  interface Admission {
    /** True if the request must be answered with {@link #status()} and {@link #problem()} instead of handled. */
    boolean refused();

    /** The tenant to enter for the handler, or null. */
    String tenant();

    /** The status of a refusal (400, 403, 429, 503), else 0. */
    int status();

    /** The {@code Retry-After} header of a refusal, or null. */
    String retryAfter();

    /** The {@code application/problem+json} body of a refusal (shared: do not modify), else null. */
    byte[] problem();

    /**
     * The global transaction the request works in ({@code X-Tenantry-Xid}, well-formed, with a tenant), or null:
     * make it current for the handler with {@code client.transactions().join(xid)} inside the tenant's context.
     */
    default String xid() {
      return null;
    }
  }
}
