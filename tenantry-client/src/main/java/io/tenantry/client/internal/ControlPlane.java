package io.tenantry.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.opentelemetry.api.trace.Span;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.Problem;
import io.tenantry.api.Tenant;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchRequest;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.RollbackRequest;
import io.tenantry.client.TenantryException;
import io.tenantry.api.http.Http1AnswerReader.Answer;
import io.tenantry.api.http.Http1Link;
import io.tenantry.client.internal.trace.Propagation;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The control plane's HTTP API as the SDK uses it. With several servers, a call that cannot connect
 * moves on to the next one and the client stays there. A problem+json answer becomes a
 * {@link TenantryException}; an unreachable control plane an {@link IOException}.
 *
 * <p>The transaction calls (begin, branch registration, commit, rollback), made for every transaction, go to a
 * server on plain {@code http} through its {@link Http1Link}; everything else, and every call to a server on
 * {@code https}, goes through the JDK {@link HttpClient}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ControlPlane implements AutoCloseable {
  /** Problem type slugs the SDK reacts to. */
  public static final String LEASE_NOT_FOUND = "lease-not-found";
  public static final String REVISION_GONE = "revision-gone";

  private static final int MAX_BODY = 32 << 20;
  /** Idle kept-alive connections to one server are closed after this: under the server's idle timeout (30 s). */
  private static final Duration LINK_IDLE_TIMEOUT = Duration.ofSeconds(20);
  private static final int LINK_MAX_IDLE = 64;
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private final List<URI> servers;
  private final String namespace;
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper mapper;
  private final Duration timeout;
  private final AtomicInteger current = new AtomicInteger();
  private final List<Http1Link> links; // per server: null for one on https, which the JDK client serves
  private final ObjectReader transactionReader;
  private final ObjectReader branchReader;
  private final ObjectWriter beginWriter;
  private final ObjectWriter branchWriter;
  private final ObjectWriter rollbackWriter;

  /** {@code http}'s connect timeout (2 s if it has none) is also the transaction calls' connect timeout. */
  public ControlPlane(List<URI> servers, String namespace, String apiKey, HttpClient http, ObjectMapper mapper,
      Duration timeout) {
    this.servers = List.copyOf(servers);
    this.namespace = namespace;
    this.authorization = Headers.BEARER + apiKey;
    this.http = http;
    this.mapper = mapper;
    this.timeout = timeout;
    Duration connectTimeout = http.connectTimeout().orElse(Duration.ofSeconds(2));
    List<Http1Link> l = new ArrayList<>();
    for (URI server : this.servers) {
      l.add("http".equalsIgnoreCase(server.getScheme())
          ? new Http1Link("the control plane", server, connectTimeout, LINK_IDLE_TIMEOUT, LINK_MAX_IDLE, MAX_BODY) : null);
    }
    this.links = Collections.unmodifiableList(l);
    this.transactionReader = mapper.readerFor(GlobalTransaction.class);
    this.branchReader = mapper.readerFor(Branch.class);
    this.beginWriter = mapper.writerFor(BeginRequest.class);
    this.branchWriter = mapper.writerFor(BranchRequest.class);
    this.rollbackWriter = mapper.writerFor(RollbackRequest.class);
  }

  public Instance register(String service, InstanceSpec spec) throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.INSTANCE, namespace, service, spec.id());
    return read(call("PUT", path, spec, timeout), Instance.class);
  }

  /** Renews every lease in one request; returns the registrations the control plane does not hold. */
  public List<InstanceRef> heartbeat(Collection<InstanceRef> refs) throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.HEARTBEATS, namespace);
    JsonNode body = read(call("POST", path, Map.of("instances", refs), timeout), JsonNode.class);
    JsonNode missing = body == null ? null : body.get("missing");
    if (missing == null || !missing.isArray()) {
      return List.of();
    }
    return mapper.convertValue(missing, new TypeReference<List<InstanceRef>>() {});
  }

  public void setStatus(String service, String id, InstanceStatus status) throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.INSTANCE_STATUS, namespace, service, id);
    read(call("PUT", path, Map.of("status", status), timeout), JsonNode.class);
  }

  /** Deregisters; an instance already gone is fine. */
  public void deregister(String service, String id) throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.INSTANCE, namespace, service, id);
    HttpResponse<InputStream> r = call("DELETE", path, null, timeout);
    if (r.statusCode() == 404) {
      r.body().close();
      return;
    }
    read(r, JsonNode.class);
  }

  public ListResult<Instance> listInstances(String service) throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.INSTANCES, namespace, service);
    return read(call("GET", path, null, timeout), new TypeReference<ListResult<Instance>>() {});
  }

  public ListResult<Tenant> listTenants() throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.TENANTS, namespace);
    return read(call("GET", path, null, timeout), new TypeReference<ListResult<Tenant>>() {});
  }

  public ListResult<Policy> listPolicies() throws IOException, InterruptedException {
    String path = ApiPaths.expand(ApiPaths.POLICIES, namespace);
    return read(call("GET", path, null, timeout), new TypeReference<ListResult<Policy>>() {});
  }

  /** Begins a global transaction. */
  public GlobalTransaction begin(BeginRequest request) throws IOException, InterruptedException {
    return read(exchange(ApiPaths.expand(ApiPaths.TRANSACTIONS, namespace), beginWriter.writeValueAsBytes(request),
        timeout), transactionReader);
  }

  /** Registers a branch (idempotent on service, action and key). */
  public Branch registerBranch(String xid, BranchRequest request) throws IOException, InterruptedException {
    return read(exchange(ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, namespace, xid),
        branchWriter.writeValueAsBytes(request), timeout), branchReader);
  }

  /** Commits (idempotent); with a {@code wait} above zero, answers when final or when it elapsed. */
  public GlobalTransaction commit(String xid, Duration wait) throws IOException, InterruptedException {
    return read(exchange(waiting(ApiPaths.expand(ApiPaths.TRANSACTION_COMMIT, namespace, xid), wait), EMPTY_OBJECT,
        timeout.plus(wait)), transactionReader);
  }

  /** Rolls back (idempotent); with a {@code wait} above zero, answers when final or when it elapsed. */
  public GlobalTransaction rollback(String xid, RollbackRequest request, Duration wait)
      throws IOException, InterruptedException {
    return read(exchange(waiting(ApiPaths.expand(ApiPaths.TRANSACTION_ROLLBACK, namespace, xid), wait),
        rollbackWriter.writeValueAsBytes(request), timeout.plus(wait)), transactionReader);
  }

  private static String waiting(String path, Duration wait) {
    return wait.isZero() ? path : path + "?wait=" + io.tenantry.api.policy.DurationText.format(wait);
  }

  /** The control plane's signing keys ({@code {"keys":[...]}}), which phase-two tokens are checked against. */
  public JsonNode jwks() throws IOException, InterruptedException {
    return read(call("GET", ApiPaths.JWKS, null, timeout), JsonNode.class);
  }

  /**
   * Opens the watch stream for {@code services} (instances), tenants and policies from {@code revision}; returns
   * the open 200 response, whose body the caller reads and closes.
   *
   * @throws TenantryException with type {@link #REVISION_GONE} when the revision is too old
   */
  public HttpResponse<InputStream> watch(Collection<String> services, long revision)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder(ApiPaths.expand(ApiPaths.WATCH, namespace));
    q.append("?kinds=").append(services.isEmpty() ? "tenant,policy" : "instance,tenant,policy");
    if (!services.isEmpty()) {
      q.append("&services=").append(String.join(",", services));
    }
    if (revision >= 0) {
      q.append("&revision=").append(revision);
    }
    HttpResponse<InputStream> r = call("GET", q.toString(), null, timeout); // until the headers arrive only
    if (r.statusCode() != 200) {
      read(r, JsonNode.class); // throws the problem
      throw new IOException("watch: unexpected status " + r.statusCode());
    }
    return r;
  }

  private HttpResponse<InputStream> call(String method, String path, Object body, Duration requestTimeout)
      throws IOException, InterruptedException {
    byte[] bytes = body == null ? null : mapper.writeValueAsBytes(body);
    return onServers(index -> send(index, method, path, bytes, requestTimeout));
  }

  /** A transaction call: a POST of {@code body}, through the server's link where it has one; the whole answer. */
  private Answer exchange(String path, byte[] body, Duration requestTimeout) throws IOException, InterruptedException {
    return onServers(index -> {
      Http1Link link = links.get(index);
      if (link == null) {
        HttpResponse<InputStream> r = send(index, "POST", path, body, requestTimeout);
        return new Answer(r.statusCode(), readBody(r), true);
      }
      List<String> headers = new ArrayList<>(10);
      headers(path, body != null, (name, value) -> Collections.addAll(headers, name, value));
      return link.exchange("POST", path, headers, body, requestTimeout);
    });
  }

  @FunctionalInterface
  private interface ServerCall<T> {
    T on(int server) throws IOException, InterruptedException;
  }

  /** {@code call} on the current server, else on the next ones that can be connected to; the first that can stays. */
  private <T> T onServers(ServerCall<T> call) throws IOException, InterruptedException {
    IOException last = null;
    int start = current.get();
    for (int i = 0; i < servers.size(); i++) {
      int index = (start + i) % servers.size();
      try {
        T result = call.on(index);
        current.set(index);
        return result;
      } catch (ConnectException | HttpConnectTimeoutException e) {
        last = e;
      }
    }
    throw last;
  }

  private HttpResponse<InputStream> send(int index, String method, String path, byte[] bytes,
      Duration requestTimeout) throws IOException, InterruptedException {
    URI uri = servers.get(index).resolve(path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers(path, bytes != null, b::header);
    if (requestTimeout != null) {
      b.timeout(requestTimeout);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The headers of every request, on either transport. */
  private void headers(String path, boolean hasBody, BiConsumer<String, String> into) {
    into.accept(Headers.AUTHORIZATION, authorization);
    into.accept("Accept", path.contains("/watch") ? "text/event-stream" : "application/json");
    if (hasBody) {
      into.accept("Content-Type", "application/json");
    }
    // the caller's trace context (none on the SDK's own threads): the coordinator keeps a transaction's begin's,
    // so that its phase-two calls join the trace of the request that began it
    Propagation.inject(Span.current().getSpanContext(), into);
  }

  private <T> T read(HttpResponse<InputStream> r, Class<T> type) throws IOException {
    return read(r, mapper.getTypeFactory().constructType(type));
  }

  private <T> T read(HttpResponse<InputStream> r, TypeReference<T> type) throws IOException {
    return read(r, mapper.getTypeFactory().constructType(type));
  }

  private <T> T read(HttpResponse<InputStream> r, com.fasterxml.jackson.databind.JavaType type) throws IOException {
    return read(new Answer(r.statusCode(), readBody(r), true), mapper.readerFor(type));
  }

  private static byte[] readBody(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return in.readNBytes(MAX_BODY);
    }
  }

  /** The answer's body as {@code reader} reads it when it is a success (2xx), else its problem as an exception. */
  private <T> T read(Answer a, ObjectReader reader) throws IOException {
    int status = a.status();
    byte[] bytes = a.body();
    if (status >= 200 && status < 300) {
      return bytes.length == 0 ? null : reader.readValue(bytes);
    }
    throw problem(status, bytes);
  }

  private TenantryException problem(int status, byte[] bytes) {
    String slug = "http-" + status;
    String detail = "";
    try {
      JsonNode p = mapper.readTree(bytes);
      if (p != null && p.hasNonNull("type")) {
        String t = p.get("type").asText();
        slug = t.startsWith(Problem.TYPE_PREFIX) ? t.substring(Problem.TYPE_PREFIX.length()) : t;
      }
      if (p != null && p.hasNonNull("detail")) {
        detail = p.get("detail").asText();
      } else if (p != null && p.hasNonNull("title")) {
        detail = p.get("title").asText();
      }
    } catch (IOException | RuntimeException e) {
      detail = "(no problem+json body)";
    }
    return new TenantryException(status, slug, detail);
  }

  /** Closes the idle connections of the transaction calls. */
  @Override
  public void close() {
    for (Http1Link link : links) {
      if (link != null) {
        link.close();
      }
    }
  }
}
