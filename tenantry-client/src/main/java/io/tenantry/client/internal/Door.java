package io.tenantry.client.internal;

import com.netflix.concurrency.limits.Limiter;
import io.tenantry.api.Tenant;
import io.tenantry.client.internal.limit.DoorLimiter;
import io.tenantry.client.internal.limit.HeaderReader;
import io.tenantry.client.internal.limit.Refusal;
import io.tenantry.client.internal.resilience.InboundResilience;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The door of a governed service: everything decided about an inbound request before its handler runs,
 * shared by every HTTP server adapter (each only reads headers and writes the answer). In order: the tenant
 * (a valid id; not suspended), the rate limits and quotas of the service's policies (429), the tenant's
 * bulkhead (429) and the adaptive concurrency limit (503). An admitted request must be let out with
 * {@link #exit}, which releases what it holds.
 *
 * <p>Thread-safety: thread-safe; the policies are swapped under it by the client's policy watch.
 */
public final class Door {
  private static final String BULKHEAD = "bulkhead-full";
  private static final String OVERLOADED = "overloaded";

  private final InboundTenant tenants;
  private final Function<String, Tenant> records; // null: no client, tenant syntax only
  private final DoorLimiter limits; // null: no client
  private final InboundResilience resilience; // null: no client

  private Door(InboundTenant tenants, Function<String, Tenant> records, DoorLimiter limits,
      InboundResilience resilience) {
    this.tenants = tenants;
    this.records = records;
    this.limits = limits;
    this.resilience = resilience;
  }

  /** A door that checks the tenant id's syntax only (a filter without a client). */
  public static Door syntaxOnly() {
    return new Door(InboundTenant.syntaxOnly(), null, null, null);
  }

  /** A door that checks tenants (syntax, suspension) only: a client that serves no service of its own. */
  public static Door checking(Function<String, Tenant> records) {
    return new Door(InboundTenant.checking(id -> Optional.ofNullable(records.apply(id))), null, null, null);
  }

  /**
   * The door of a client's service.
   *
   * @param records    a tenant by id, or null if unknown
   * @param limits     the service's rate limits and quotas
   * @param resilience the service's bulkheads and adaptive limit
   */
  public static Door governed(Function<String, Tenant> records, DoorLimiter limits, InboundResilience resilience) {
    return new Door(InboundTenant.checking(id -> Optional.ofNullable(records.apply(id))), records, limits,
        resilience);
  }

  /** How an HTTP server adapter reads its request's headers; one shared stateless instance per adapter. */
  public interface RequestReader<R> extends HeaderReader<R> {
    /** Every {@code baggage} header of {@code request}, joined with commas, or null if there is none. */
    String baggage(R request);
  }

  /** How a request passes the door: refused with an answer, or admitted (then {@link #exit} it). */
  public static final class Pass {
    private static final Pass OPEN = new Pass(null, 0, null, null, null, false);
    private final String tenant;
    private final int status;
    private final String retryAfter;
    private final byte[] problem;
    private final Limiter.Listener listener;
    private final boolean bulkhead;

    private Pass(String tenant, int status, String retryAfter, byte[] problem, Limiter.Listener listener,
        boolean bulkhead) {
      this.tenant = tenant;
      this.status = status;
      this.retryAfter = retryAfter;
      this.problem = problem;
      this.listener = listener;
      this.bulkhead = bulkhead;
    }

    static Pass refuse(int status, String retryAfter, byte[] problem) {
      return new Pass(null, status, retryAfter, problem, null, false);
    }

    public boolean refused() {
      return status != 0;
    }

    /** The tenant to enter for the handler, or null. */
    public String tenant() {
      return tenant;
    }

    /** The status of a refusal. */
    public int status() {
      return status;
    }

    /** The {@code Retry-After} header of a refusal, or null. */
    public String retryAfter() {
      return retryAfter;
    }

    /** The problem+json body of a refusal (shared: do not modify). */
    public byte[] problem() {
      return problem;
    }
  }

  /**
   * Decides on a request.
   *
   * @param request  the adapter's request, read through {@code headers}
   * @param headers  reads a header of {@code request} by lower-case name
   * @param method   the HTTP method
   * @param path     the raw path
   */
  public <R> Pass enter(R request, RequestReader<? super R> headers, String method, String path) {
    String header = headers.header(request, "x-tenant-id");
    String baggage = header == null || header.isEmpty() ? headers.baggage(request) : null;
    InboundTenant.Decision d = InboundTenant.decide(header, baggage, tenants.lookup());
    if (d.refused()) {
      return Pass.refuse(d.status(), null, tenants.render(d, path));
    }
    String tenant = d.tenant();
    if (limits == null) {
      return tenant == null ? Pass.OPEN : new Pass(tenant, 0, null, null, null, false);
    }
    Tenant record = tenant == null ? null : records.apply(tenant);
    String tier = record == null ? null : record.tier();
    Refusal r = limits.check(tenant, tier, headers.header(request, "x-tenantry-caller"), method, path, request,
        headers);
    if (r != null) {
      return Pass.refuse(r.status(), r.retryAfter(), r.body());
    }
    if (!resilience.tryEnter(tenant, tier)) {
      return Pass.refuse(429, "1", problem(BULKHEAD, "Too many concurrent calls", 429, "tenant "
          + (tenant == null ? "(none)" : "'" + tenant + "'") + " has as many calls in progress as its bulkhead allows"
          + " on this instance; retry shortly", path));
    }
    Optional<Limiter.Listener> listener = resilience.acquire(); // a shared no-op listener without the policy
    if (listener.isEmpty()) {
      resilience.exit(tenant);
      return Pass.refuse(503, "1", problem(OVERLOADED, "Overloaded", 503, "this instance is at its adaptive"
          + " concurrency limit; retry on another instance or shortly", path));
    }
    return new Pass(tenant, 0, null, null, listener.get(), true);
  }

  /** Lets an admitted request out after its handler answered {@code status} (0 if it threw). */
  public void exit(Pass pass, int status) {
    if (pass.refused()) {
      return;
    }
    if (pass.listener != null) {
      if (status == 0 || status >= 500) {
        pass.listener.onDropped();
      } else if (status >= 400) {
        pass.listener.onIgnore();
      } else {
        pass.listener.onSuccess();
      }
    }
    if (pass.bulkhead) {
      resilience.exit(pass.tenant);
    }
  }

  private static byte[] problem(String type, String title, int status, String detail, String path) {
    return ProblemBodies.render(type, title, status, detail, path);
  }
}
