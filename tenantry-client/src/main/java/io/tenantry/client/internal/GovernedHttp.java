package io.tenantry.client.internal;

import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.Names;
import io.tenantry.api.Tenant;
import io.tenantry.api.ValidationException;
import io.tenantry.client.CallAttempt;
import io.tenantry.client.CallObserver;
import io.tenantry.client.CallOptions;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.NoInstanceAvailableException;
import io.tenantry.client.TenantContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link GovernedHttpClient} of a client; see there for the contract. Thread-safe. */
public final class GovernedHttp implements GovernedHttpClient {
  private static final Logger LOG = LoggerFactory.getLogger(GovernedHttp.class);
  static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  private final HttpClient http;
  private final Function<String, List<Instance>> instances;
  private final Function<String, Optional<Tenant>> tenants;
  private final LoadBalancer balancer;
  private final String caller;
  private final Backoff backoff;
  private final CopyOnWriteArrayList<CallObserver> observers = new CopyOnWriteArrayList<>();

  /**
   * @param instances the served instances of a service (may wait, bounded, on a first lookup)
   * @param tenants   a tenant by id, if known
   * @param caller    this process's service name, or null
   */
  public GovernedHttp(HttpClient http, Function<String, List<Instance>> instances,
      Function<String, Optional<Tenant>> tenants, LoadBalancer balancer, String caller, Backoff backoff) {
    this.http = http;
    this.instances = instances;
    this.tenants = tenants;
    this.balancer = balancer;
    this.caller = caller;
    this.backoff = backoff;
  }

  @Override
  public void addObserver(CallObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  @Override
  public boolean removeObserver(CallObserver observer) {
    return observers.remove(observer);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, CallOptions options)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    String service = logicalService(request.uri());
    String tenant = tenantOf(request, options);
    Boolean explicit = options.retryable();
    boolean retryable = explicit != null ? explicit : IDEMPOTENT.contains(request.method());
    Duration timeout = options.timeoutFor(request);
    int max = options.maxAttempts();

    Set<String> tried = new HashSet<>();
    Set<String> refused = new HashSet<>();
    Instance previous = null;
    for (int attempt = 1; ; attempt++) {
      List<Instance> all = instances.apply(service);
      Tenant record = tenant == null ? null : tenants.apply(tenant).orElse(null);
      List<Instance> candidates = CandidateSelector.select(all, tenant, record);
      if (candidates.isEmpty()) {
        throw new NoInstanceAvailableException(service, tenant, CandidateSelector.explainEmpty(all, tenant, record));
      }
      Instance instance = balancer.choose(untried(candidates, tried, refused));
      boolean failover = previous != null && !previous.id().equals(instance.id());
      boolean canRetry = attempt < max;
      HttpRequest outbound = rewrite(request, instance, tenant, attempt, timeout);

      balancer.onStart(instance);
      long start = System.nanoTime();
      boolean success = false;
      try {
        HttpResponse<T> response = http.send(outbound, info -> retryStatus(info.statusCode(), explicit, retryable)
            && canRetry ? discarding() : handler.apply(info));
        int status = response.statusCode();
        success = status < 500;
        boolean again = canRetry && retryStatus(status, explicit, retryable);
        observe(service, tenant, instance, attempt, success ? CallOutcome.SUCCESS : CallOutcome.HTTP_ERROR, status,
            start, again, failover);
        if (!again) {
          return response;
        }
      } catch (HttpConnectTimeoutException | ConnectException e) {
        // Nothing was sent: safe to try elsewhere unless the caller forbade retries.
        refused.add(instance.id());
        boolean again = canRetry && !Boolean.FALSE.equals(explicit);
        observe(service, tenant, instance, attempt, CallOutcome.CONNECT_FAILURE, 0, start, again, failover);
        if (!again) {
          throw e;
        }
      } catch (HttpTimeoutException e) {
        boolean again = canRetry && retryable;
        observe(service, tenant, instance, attempt, CallOutcome.TIMEOUT, 0, start, again, failover);
        if (!again) {
          throw e;
        }
      } catch (IOException e) {
        // The connection broke mid-call (e.g. the instance died): the request may have been processed.
        boolean again = canRetry && retryable;
        observe(service, tenant, instance, attempt, CallOutcome.CONNECT_FAILURE, 0, start, again, failover);
        if (!again) {
          throw e;
        }
      } finally {
        balancer.onFinish(instance, Duration.ofNanos(System.nanoTime() - start), success);
      }
      tried.add(instance.id());
      previous = instance;
      Thread.sleep(backoff.fullJitter(attempt).toMillis());
    }
  }

  /** The service a logical URI names: {@code http(s)://<service>/path}, without port or user info. */
  static String logicalService(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
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
    Optional<String> current = TenantContext.current();
    if (current.isPresent()) {
      return current.get();
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

  /**
   * The candidates not tried yet in this call; once every one was tried, all again but those that refused the
   * connection in this call (a killed instance stays listed until its lease expires: going back to it would
   * spend attempts on certain failures).
   */
  static List<Instance> untried(List<Instance> candidates, Set<String> tried, Set<String> refused) {
    if (tried.isEmpty()) {
      return candidates;
    }
    List<Instance> fresh = without(candidates, tried);
    if (!fresh.isEmpty()) {
      return fresh;
    }
    List<Instance> reachable = without(candidates, refused);
    return reachable.isEmpty() ? candidates : reachable;
  }

  private static List<Instance> without(List<Instance> candidates, Set<String> ids) {
    if (ids.isEmpty()) {
      return candidates;
    }
    List<Instance> kept = new ArrayList<>(candidates.size());
    for (Instance i : candidates) {
      if (!ids.contains(i.id())) {
        kept.add(i);
      }
    }
    return kept;
  }

  private HttpRequest rewrite(HttpRequest request, Instance instance, String tenant, int attempt, Duration timeout) {
    URI uri = request.uri();
    String target = uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + instance.authority()
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder b = HttpRequest.newBuilder(request, (name, value) -> !owned(name))
        .uri(URI.create(target))
        .timeout(timeout)
        .setHeader(Headers.ATTEMPT, Integer.toString(attempt));
    if (caller != null) {
      b.setHeader(Headers.CALLER, caller);
    }
    List<String> baggage = request.headers().allValues(Headers.BAGGAGE);
    String existing = baggage.isEmpty() ? null : String.join(",", baggage);
    if (tenant != null) {
      b.setHeader(Headers.TENANT_ID, tenant);
      b.setHeader(Headers.BAGGAGE, Baggage.merge(existing, tenant));
    } else if (existing != null) {
      b.setHeader(Headers.BAGGAGE, existing);
    }
    return b.build();
  }

  private static boolean owned(String header) {
    return header.equalsIgnoreCase(Headers.TENANT_ID) || header.equalsIgnoreCase(Headers.BAGGAGE)
        || header.equalsIgnoreCase(Headers.CALLER) || header.equalsIgnoreCase(Headers.ATTEMPT);
  }

  @SuppressWarnings("unchecked")
  private static <T> HttpResponse.BodySubscriber<T> discarding() {
    return (HttpResponse.BodySubscriber<T>) HttpResponse.BodySubscribers.replacing(null);
  }

  private void observe(String service, String tenant, Instance instance, int attempt, CallOutcome outcome,
      int status, long startNanos, boolean willRetry, boolean failover) {
    if (observers.isEmpty()) {
      return;
    }
    CallAttempt a = new CallAttempt(service, tenant, instance, attempt, outcome, status,
        Duration.ofNanos(System.nanoTime() - startNanos), willRetry, failover);
    for (CallObserver o : observers) {
      try {
        o.onAttempt(a);
      } catch (RuntimeException e) {
        LOG.warn("call observer failed", e);
      }
    }
  }
}
