package io.tenantry.client.internal;

import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.ValidationException;
import io.tenantry.client.CallObserver;
import io.tenantry.client.CallOptions;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.internal.trace.Propagation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The {@link GovernedHttpClient} of a client; see there for the contract. Thread-safe. */
public final class GovernedHttp implements GovernedHttpClient {
  static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
  /** How many service names and tenants the per-call memos below remember; past it they are worked out per call. */
  static final int MEMO_LIMIT = 4096;
  private static final String[] ATTEMPTS = attemptHeaders();

  private final HttpClient http;
  private final CallGovernor governor;
  private final String caller;
  private final java.util.function.Supplier<String> xid;
  /** Hosts of logical URIs already validated as service names, with their per-service state. */
  private final ConcurrentHashMap<String, ServiceCalls> services = new ConcurrentHashMap<>();
  /** The baggage header of each tenant when the request carries none: {@code tenant.id=<tenant>}. */
  private final ConcurrentHashMap<String, String> tenantBaggage = new ConcurrentHashMap<>();

  /** @param caller this process's service name, or null */
  public GovernedHttp(HttpClient http, CallGovernor governor, String caller) {
    this(http, governor, caller, () -> null);
  }

  /**
   * @param caller this process's service name, or null
   * @param xid    the global transaction current on the calling thread, or null: sent as {@code X-Tenantry-Xid}
   */
  public GovernedHttp(HttpClient http, CallGovernor governor, String caller, java.util.function.Supplier<String> xid) {
    this.http = http;
    this.governor = governor;
    this.caller = caller;
    this.xid = Objects.requireNonNull(xid, "xid");
  }

  /**
   * With plain lookups (for tests and embedding): the routes are worked out on each call.
   *
   * @param instances the served instances of a service
   * @param tenants   a tenant by id, if known
   */
  public static GovernedHttp overLists(HttpClient http, Function<String, List<Instance>> instances,
      Function<String, Optional<Tenant>> tenants, LoadBalancer balancer, String caller, Backoff backoff) {
    return new GovernedHttp(http, new CallGovernor(s -> new Routes(List.copyOf(instances.apply(s))),
        t -> tenants.apply(t).orElse(null), balancer, backoff,
        io.tenantry.client.internal.resilience.CallerResilience.system(), caller, null), caller);
  }

  @Override
  public void addObserver(CallObserver observer) {
    governor.addObserver(observer);
  }

  @Override
  public boolean removeObserver(CallObserver observer) {
    return governor.removeObserver(observer);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, CallOptions options)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    ServiceCalls service = service(request.uri());
    Boolean explicit = options.retryable();
    boolean retryable = explicit != null ? explicit : IDEMPOTENT.contains(request.method());
    Call call = governor.begin(service, tenantOf(request, options), request.method(), request.uri().getRawPath(),
        options, request.timeout().orElse(null), request.headers());
    while (true) {
      HttpRequest outbound = rewrite(request, call.target(request.uri()), call.tenant(), call.attempt(), call.timeout(),
          call);
      boolean again;
      try {
        HttpResponse<T> response = http.send(outbound, info -> retryStatus(info.statusCode(), explicit, retryable)
            && call.retryAllowed() ? discarding() : handler.apply(info));
        int status = response.statusCode();
        again = call.end(status < 500 ? CallOutcome.SUCCESS : CallOutcome.HTTP_ERROR, status,
            retryStatus(status, explicit, retryable));
        if (!again) {
          return response;
        }
      } catch (HttpConnectTimeoutException | ConnectException e) {
        // Nothing was sent: safe to try elsewhere unless the caller forbade retries.
        call.refused();
        if (!call.end(CallOutcome.CONNECT_FAILURE, 0, !Boolean.FALSE.equals(explicit))) {
          throw e;
        }
      } catch (HttpTimeoutException e) {
        if (!call.end(CallOutcome.TIMEOUT, 0, retryable)) {
          throw e;
        }
      } catch (IOException e) {
        // The connection broke mid-call (e.g. the instance died): the request may have been processed.
        if (!call.end(CallOutcome.CONNECT_FAILURE, 0, retryable)) {
          throw e;
        }
      } catch (RuntimeException | Error e) {
        call.end(CallOutcome.CONNECT_FAILURE, 0, false);
        throw e;
      } catch (InterruptedException e) {
        call.end(CallOutcome.CONNECT_FAILURE, 0, false);
        throw e;
      }
      Thread.sleep(call.backoff().toMillis());
    }
  }

  /** As {@link #logicalService}, remembering the hosts already validated. */
  private ServiceCalls service(URI uri) {
    String host = uri.getHost();
    ServiceCalls known = host == null ? null : services.get(host);
    if (known != null && uri.getPort() == -1 && uri.getRawUserInfo() == null && httpScheme(uri.getScheme())) {
      return known;
    }
    ServiceCalls service = governor.service(logicalService(uri));
    if (services.size() < MEMO_LIMIT) {
      services.putIfAbsent(host, service);
    }
    return service;
  }

  private static boolean httpScheme(String scheme) {
    return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
  }

  /** The service a logical URI names: {@code http(s)://<service>/path}, without port or user info. */
  static String logicalService(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (!httpScheme(scheme)) {
      throw new IllegalArgumentException("uri: '" + uri + "' (expected: http://<service>/path)");
    }
    String host = uri.getHost();
    if (host == null || uri.getPort() != -1 || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("uri: '" + uri + "' (expected: http://<service>/path, a service name as"
          + " host, no port)");
    }
    return Names.name("service", host);
  }

  /** 502, 503, 504 when the call may be retried; 500 only when the caller said retryable(true). Never 429. */
  static boolean retryStatus(int status, Boolean explicit, boolean retryable) {
    if (!retryable) {
      return false;
    }
    return status == 502 || status == 503 || status == 504 || (status == 500 && Boolean.TRUE.equals(explicit));
  }

  private static String tenantOf(HttpRequest request, CallOptions options) {
    if (options.tenant() != null) {
      return options.tenant();
    }
    String current = TenantSlot.current(); // TenantContext.current() without the Optional
    if (current != null) {
      return current;
    }
    Optional<String> header = request.headers().firstValue(Headers.TENANT_ID);
    if (header.isPresent()) {
      try {
        return Names.name("tenant", header.get());
      } catch (ValidationException e) {
        throw new IllegalArgumentException("header " + Headers.TENANT_ID + ": " + e.reason(), e);
      }
    }
    return null;
  }

  private HttpRequest rewrite(HttpRequest request, URI target, String tenant, int attempt, Duration timeout, Call call) {
    HttpRequest.Builder b = copyOf(request, target)
        .timeout(timeout)
        .setHeader(Headers.ATTEMPT, attempt < ATTEMPTS.length ? ATTEMPTS[attempt] : Integer.toString(attempt));
    if (caller != null) {
      b.setHeader(Headers.CALLER, caller);
    }
    String tx = xid.get();
    if (tx != null) { // replaces one the caller set: the current transaction is the one the call works in
      b.setHeader(Headers.XID, tx);
    }
    List<String> baggage = request.headers().allValues(Headers.BAGGAGE);
    String existing = baggage.isEmpty() ? call.carriedBaggage() : String.join(",", baggage);
    call.writeTrace(b::setHeader);
    if (tenant != null) {
      b.setHeader(Headers.TENANT_ID, tenant);
      b.setHeader(Headers.BAGGAGE, existing == null ? baggageOf(tenant) : Baggage.merge(existing, tenant));
    } else if (existing != null) {
      b.setHeader(Headers.BAGGAGE, existing);
    }
    return b.build();
  }

  /**
   * What {@code HttpRequest.newBuilder(request, filter).uri(target)} builds, with the headers this client
   * sets left out, without the JDK's intermediate filtered header map and the URI set twice.
   */
  static HttpRequest.Builder copyOf(HttpRequest request, URI target) {
    HttpRequest.Builder b = HttpRequest.newBuilder(target).expectContinue(request.expectContinue());
    Map<String, List<String>> headers = request.headers().map();
    if (!headers.isEmpty()) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (!owned(h.getKey())) {
          for (String value : h.getValue()) {
            b.header(h.getKey(), value);
          }
        }
      }
    }
    request.version().ifPresent(b::version);
    request.timeout().ifPresent(b::timeout);
    String method = request.method();
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isPresent()) {
      b.method(method, body.get());
    } else if (method.equals("GET")) {
      b.GET();
    } else if (method.equals("DELETE")) {
      b.DELETE();
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b;
  }

  private String baggageOf(String tenant) {
    String header = tenantBaggage.get(tenant);
    if (header == null) {
      header = Baggage.merge(null, tenant);
      if (tenantBaggage.size() < MEMO_LIMIT) {
        tenantBaggage.putIfAbsent(tenant, header);
      }
    }
    return header;
  }

  private static String[] attemptHeaders() {
    String[] values = new String[CallOptions.MAX_ATTEMPTS_LIMIT + 1];
    for (int i = 0; i < values.length; i++) {
      values[i] = Integer.toString(i);
    }
    return values;
  }

  static boolean owned(String header) {
    return header.equalsIgnoreCase(Headers.TENANT_ID) || header.equalsIgnoreCase(Headers.BAGGAGE)
        || header.equalsIgnoreCase(Headers.CALLER) || header.equalsIgnoreCase(Headers.ATTEMPT)
        || header.equalsIgnoreCase(Propagation.TRACEPARENT) || header.equalsIgnoreCase(Propagation.TRACESTATE);
  }

  @SuppressWarnings("unchecked")
  private static <T> HttpResponse.BodySubscriber<T> discarding() {
    return (HttpResponse.BodySubscriber<T>) HttpResponse.BodySubscribers.replacing(null);
  }
}
