package io.tenantry.client.internal;

import com.netflix.concurrency.limits.Limiter;
import io.tenantry.api.Headers;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.tx.Xids;
import io.tenantry.client.RequestHeaders;
import io.tenantry.client.ServiceDoor;
import io.tenantry.client.internal.limit.DoorLimiter;
import io.tenantry.client.internal.limit.Refusal;
import io.tenantry.client.internal.resilience.InboundResilience;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
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
public final class Door implements ServiceDoor {
  private static final String BULKHEAD = "bulkhead-full";
  private static final String OVERLOADED = "overloaded";
  private static final String INVALID_XID = "invalid-xid";

  private final Function<String, Tenant> records; // null: no client, tenant syntax only
  private final DoorLimiter limits; // null: no client
  private final InboundResilience resilience; // null: no client
  /** Each thread's last admission, reused once let out: admitting a request then allocates nothing. */
  private final ThreadLocal<Pass> spare = new ThreadLocal<>();
  /** Told about every request (traces, metrics); replaced whole when one is added. */
  private volatile DoorObserver[] observers = DoorObserver.NONE;

  private Door(Function<String, Tenant> records, DoorLimiter limits, InboundResilience resilience) {
    this.records = records;
    this.limits = limits;
    this.resilience = resilience;
  }

  /** A door that checks the tenant id's syntax only (a filter without a client). */
  public static Door syntaxOnly() {
    return new Door(null, null, null);
  }

  /** A door that checks tenants (syntax, suspension) only: a client that serves no service of its own. */
  public static Door checking(Function<String, Tenant> records) {
    return new Door(records, null, null);
  }

  /**
   * The door of a client's service.
   *
   * @param records    a tenant by id, or null if unknown
   * @param limits     the service's rate limits and quotas
   * @param resilience the service's bulkheads and adaptive limit
   */
  public static Door governed(Function<String, Tenant> records, DoorLimiter limits, InboundResilience resilience) {
    return new Door(records, limits,
        resilience);
  }

  /** How an HTTP server adapter reads its request's headers; one shared stateless instance per adapter. */
  public interface RequestReader<R> extends RequestHeaders<R> {
    /** Every {@code baggage} header of {@code request}, joined with commas, or null if there is none. */
    String baggage(R request);
  }

  /** How a request passes the door: refused with an answer, or admitted (then {@link #exit} it). */
  public static final class Pass implements Admission {
    private static final Pass OPEN = new Pass(null, 0, null, null, null, false);
    // Set once for a refusal; reset per request for an admission reused by its thread (see Door#spare).
    private String tenant;
    private String xid;
    private final int status;
    private final String retryAfter;
    private final byte[] problem;
    private Limiter.Listener listener;
    private boolean bulkhead;
    private String method;
    private String path;
    private DoorObserver[] observers = DoorObserver.NONE; // those told when this admission entered
    private Object[] entered; // what each of them answered, by index (kept after exit: handed back for reuse)
    private long admittedNanos; // when it was admitted, if there are observers
    private volatile boolean inside; // admitted and not yet let out: not to be reused

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

    @Override
    public boolean refused() {
      return status != 0;
    }

    /** The tenant to enter for the handler, or null. */
    @Override
    public String tenant() {
      return tenant;
    }

    /** The status of a refusal. */
    @Override
    public int status() {
      return status;
    }

    /** The {@code Retry-After} header of a refusal, or null. */
    @Override
    public String retryAfter() {
      return retryAfter;
    }

    /** The problem+json body of a refusal (shared: do not modify). */
    @Override
    public byte[] problem() {
      return problem;
    }

    /** The global transaction the request works in, or null. */
    @Override
    public String xid() {
      return xid;
    }
  }

  @Override
  public <R> Pass enter(R request, RequestHeaders<? super R> headers, String method, String path) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    String header = headers.header(request, "x-tenant-id");
    if (header != null && headers.repeated(request, "x-tenant-id")) {
      return refused(null, method, path, InboundTenant.repeated());
    }
    String baggage = header == null || header.isEmpty() ? headers.baggage(request) : null;
    String tenant = InboundTenant.raw(header, baggage);
    Tenant record = null;
    if (tenant != null) {
      InboundTenant.Decision refused = InboundTenant.refusal(tenant, null); // the syntax first: then look it up
      if (refused == null && records != null) {
        record = records.apply(tenant);
        refused = record != null && !record.active() ? InboundTenant.suspended(tenant) : null;
      }
      if (refused != null) {
        return refused(tenant, method, path, refused);
      }
    }
    String xid = headers.header(request, "x-tenantry-xid");
    if (xid != null && headers.repeated(request, "x-tenantry-xid")) {
      return invalidXid(tenant, method, path, Headers.XID + " appears more than once (expected: once)");
    }
    if (xid != null && (xid.isEmpty() || !Xids.isXid(xid) || tenant == null)) {
      return invalidXid(tenant, method, path, tenant == null ? Headers.XID + " without a tenant (expected: "
          + Headers.TENANT_ID + " too)" : Headers.XID + ": '" + Names.shorten(xid)
          + "' (expected: 32 lower-case hex characters)");
    }
    if (limits == null) {
      return tenant == null && xid == null && observers.length == 0 ? Pass.OPEN
          : admitted(request, headers, tenant, xid, method, path, null, false);
    }
    String tier = record == null ? null : record.tier();
    Refusal r = limits.check(tenant, tier, headers.header(request, "x-tenantry-caller"), method, path, request,
        headers);
    if (r != null) {
      return refused(tenant, method, path, r.status(), r.type(), Pass.refuse(r.status(), r.retryAfter(), r.body()));
    }
    if (!resilience.tryEnter(tenant, tier)) {
      return refused(tenant, method, path, 429, BULKHEAD, Pass.refuse(429, "1", problem(BULKHEAD, "Too many concurrent calls", 429, "tenant "
          + (tenant == null ? "(none)" : "'" + tenant + "'") + " has as many calls in progress as its bulkhead allows"
          + " on this instance; retry shortly", path)));
    }
    Optional<Limiter.Listener> listener = resilience.acquire(); // a shared no-op listener without the policy
    if (listener.isEmpty()) {
      resilience.exit(tenant);
      return refused(tenant, method, path, 503, OVERLOADED, Pass.refuse(503, "1", problem(OVERLOADED, "Overloaded",
          503, "this instance is at its adaptive concurrency limit; retry on another instance or shortly", path)));
    }
    return admitted(request, headers, tenant, xid, method, path, listener.get(), true);
  }

  /** Adds an observer told about every later request; for the client that owns this door. */
  public synchronized void addObserver(DoorObserver observer) {
    DoorObserver[] now = observers;
    DoorObserver[] more = Arrays.copyOf(now, now.length + 1);
    more[now.length] = Objects.requireNonNull(observer, "observer");
    observers = more;
  }

  /** The refusal of a request whose tenant the door refused ({@link InboundTenant}'s decision). */
  private Pass refused(String tenant, String method, String path, InboundTenant.Decision d) {
    return refused(tenant, method, path, d.status(), d.type(),
        Pass.refuse(d.status(), null, InboundTenant.render(d, path)));
  }

  /** The refusal of a request whose {@code X-Tenantry-Xid} is not one transaction's id, as {@code detail} says. */
  private Pass invalidXid(String tenant, String method, String path, String detail) {
    return refused(tenant, method, path, 400, INVALID_XID,
        Pass.refuse(400, null, problem(INVALID_XID, "Invalid transaction id", 400, detail, path)));
  }

  private Pass refused(String tenant, String method, String path, int status, String type, Pass pass) {
    for (DoorObserver o : observers) {
      try {
        o.refused(tenant, method, path, status, type);
      } catch (RuntimeException e) {
        DoorObserver.LOG.warn("door observer failed", e);
      }
    }
    return pass;
  }

  private <R> Pass admitted(R request, RequestHeaders<? super R> headers, String tenant, String xid, String method,
      String path, Limiter.Listener listener, boolean bulkhead) {
    Pass p = spare.get();
    if (p == null || p.inside) { // the thread's first request, or one admitted within another (a forward)
      Pass fresh = new Pass(null, 0, null, null, null, false);
      if (p == null) {
        spare.set(fresh);
      }
      p = fresh;
    }
    p.tenant = tenant;
    p.xid = xid;
    p.listener = listener;
    p.bulkhead = bulkhead;
    p.method = method;
    p.path = path;
    DoorObserver[] told = observers;
    p.observers = told;
    if (told.length > 0) {
      p.admittedNanos = System.nanoTime();
      if (p.entered == null || p.entered.length < told.length) {
        p.entered = new Object[told.length];
      }
      for (int i = 0; i < told.length; i++) {
        try {
          p.entered[i] = told[i].entered(request, headers, tenant, method, path, p.entered[i]);
        } catch (RuntimeException e) {
          p.entered[i] = null;
          DoorObserver.LOG.warn("door observer failed", e);
        }
      }
    }
    p.inside = true;
    return p;
  }

  /** Lets an admitted request out after its handler answered {@code status} (0 if it threw). */
  @Override
  public void exit(Admission admission, int status) {
    if (!(admission instanceof Pass pass) || pass.refused()) {
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
    DoorObserver[] told = pass.observers;
    long nanos = told.length == 0 ? 0 : System.nanoTime() - pass.admittedNanos;
    for (int i = told.length - 1; i >= 0; i--) { // the reverse of entering: scopes nest
      try {
        told[i].exited(pass.entered[i], pass.tenant, pass.method, pass.path, status, nanos);
      } catch (RuntimeException e) {
        DoorObserver.LOG.warn("door observer failed", e);
      }
    }
    pass.inside = false;
  }

  private static byte[] problem(String type, String title, int status, String detail, String path) {
    return ProblemBodies.render(type, title, status, detail, path);
  }
}
