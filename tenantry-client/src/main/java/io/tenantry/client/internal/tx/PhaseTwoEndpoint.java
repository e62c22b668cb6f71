package io.tenantry.client.internal.tx;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.tenantry.api.Headers;
import io.tenantry.api.Names;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.CoordinatorToken;
import io.tenantry.api.tx.PhaseTwoRequest;
import io.tenantry.api.tx.Xids;
import io.tenantry.client.RequestHeaders;
import io.tenantry.client.TenantContext;
import io.tenantry.client.internal.DoorObserver;
import io.tenantry.client.internal.ProblemBodies;
import io.tenantry.client.tx.BranchContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's phase-two endpoint, {@code POST /.well-known/tenantry/tx}, as every server adapter serves it
 * (each only reads the request and writes the {@link Reply}). In order: the method (405), a bearer token (401), the
 * body, bounded (413) and well-formed (400), the token: signed by a key of the control plane's JWKS, for this
 * namespace and service, its xid, branch and phase those of the body (401); then the action (404), and its confirm,
 * cancel or compensation run through the fence: 200 done (also a replay or an empty rollback), 409 never possible
 * (confirm after cancel, cancel after confirm), 503 the function or the database failed (the coordinator retries).
 * A call that carries a {@code traceparent} (the coordinator sends the trace of the request that began the
 * transaction) is traced as a request at the door is: a SERVER span if the trace is sampled, current with the MDC's
 * trace ids while the confirm, cancel or compensation runs.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class PhaseTwoEndpoint {
  /** The largest body read: a request carries at most {@link Xids#MAX_DATA_BYTES} of data. */
  public static final int MAX_BODY = 16 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoEndpoint.class);
  private static final String JSON = "application/json";
  private static final String PROBLEM = io.tenantry.api.Problem.MEDIA_TYPE;
  private static final String PATH = io.tenantry.api.ApiPaths.TX_PARTICIPANT;
  private static final String AUTHORIZATION = Headers.AUTHORIZATION.toLowerCase(java.util.Locale.ROOT);
  private static final String TRACEPARENT = "traceparent";

  private final TxEngine engine;
  private final String namespace;
  private final Function<String, PublicKey> keys;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final DoorObserver tracing; // null: not traced

  /** An endpoint whose calls are traced by {@code tracing} (the client's door tracing), or not if null. */
  public PhaseTwoEndpoint(TxEngine engine, String namespace, Function<String, PublicKey> keys, ObjectMapper mapper,
      Clock clock, DoorObserver tracing) {
    this.tracing = tracing;
    this.engine = Objects.requireNonNull(engine, "engine");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An answer: status, content type and body. */
  public record Reply(int status, String contentType, byte[] body) {}

  /**
   * Serves one request of a server adapter, whose headers {@code headers} reads (the token; the trace context).
   *
   * @param declaredLength the {@code Content-Length}, or -1 if unknown
   * @param body          the request body (read at most {@link #MAX_BODY} + 1 bytes; not closed)
   */
  public <R> Reply handle(R request, RequestHeaders<? super R> headers, String method, long declaredLength,
      InputStream body) {
    String authorization = headers.header(request, AUTHORIZATION);
    if (!"POST".equals(method)) {
      return problem(405, "method-not-allowed", "Method not allowed", method + " (expected: POST)");
    }
    String service = engine.service();
    if (service == null || engine.fence() == null) {
      return problem(404, "not-found", "Not found", "this process serves no transactional service");
    }
    if (authorization == null || !authorization.startsWith(Headers.BEARER)) {
      return problem(401, "unauthorized", "Unauthorized", "a coordinator token is required (Authorization: Bearer)");
    }
    if (declaredLength > MAX_BODY) {
      return problem(413, "payload-too-large", "Payload too large", declaredLength + " bytes (expected: at most "
          + MAX_BODY + ")");
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      return problem(400, "invalid-body", "Invalid body", "could not read the body: " + e.getMessage());
    }
    if (bytes.length > MAX_BODY) {
      return problem(413, "payload-too-large", "Payload too large", "more than " + MAX_BODY + " bytes");
    }
    PhaseTwoRequest r;
    try {
      r = mapper.readValue(bytes, PhaseTwoRequest.class);
    } catch (IOException | RuntimeException e) {
      return problem(400, "invalid-body", "Invalid body", "not a phase-two request (expected: JSON with namespace,"
          + " tenant, xid, branch, service, action, key, phase, data)");
    }
    String invalid = invalid(r);
    if (invalid != null) {
      return problem(400, "invalid-body", "Invalid body", invalid);
    }
    CoordinatorToken token;
    try {
      token = CoordinatorToken.verify(authorization.substring(Headers.BEARER.length()), keys, clock.instant());
    } catch (CoordinatorToken.InvalidTokenException e) {
      return problem(401, "invalid-token", "Invalid token", e.getMessage());
    }
    String audience = CoordinatorToken.audience(namespace, service);
    if (!audience.equals(token.audience())) {
      return problem(401, "invalid-token", "Invalid token", "the token is for another service or namespace");
    }
    if (!token.xid().equals(r.xid()) || token.branch() != r.branch() || token.phase() != r.phase()) {
      return problem(401, "invalid-token", "Invalid token", "the token is for another branch or phase than the body");
    }
    if (!namespace.equals(r.namespace()) || !service.equals(r.service())) {
      return problem(400, "invalid-body", "Invalid body", "namespace/service: '" + Names.shorten(r.namespace()) + "/"
          + Names.shorten(r.service()) + "' (expected: " + audience + ")");
    }
    LocalBranch<?> action = engine.action(r.action());
    if (action == null) {
      return problem(404, "unknown-action", "Unknown action", "action: '" + r.action() + "' is not declared by "
          + service);
    }
    if (!action.accepts(r.phase())) {
      return problem(400, "invalid-body", "Invalid body", "phase: " + r.phase() + " of " + action.mode()
          + " action '" + action.name() + "' (expected: " + (action.mode() == io.tenantry.api.tx.TxMode.TCC
          ? "confirm or cancel" : "compensate") + ")");
    }
    Object traced = enterTrace(request, headers, r);
    Reply reply = null;
    try {
      reply = run(action, r);
      return reply;
    } finally {
      if (traced != null) {
        tracing.exited(traced, r.tenant(), "POST", PATH, reply == null ? 0 : reply.status(), 0); // no meters here
      }
    }
  }

  /**
   * Opens the SERVER span of a call that carries a trace context (tagged with the branch), current with the MDC's
   * ids until {@code exited}; null if the call carries none: phase two starts no trace of its own.
   */
  private <R> Object enterTrace(R request, RequestHeaders<? super R> headers, PhaseTwoRequest r) {
    if (tracing == null || headers.header(request, TRACEPARENT) == null) {
      return null;
    }
    try {
      Object entered = tracing.entered(request, headers, r.tenant(), "POST", PATH, null);
      Span span = Span.current();
      if (span.isRecording()) {
        span.setAttribute("tenantry.xid", r.xid());
        span.setAttribute("tenantry.branch", (long) r.branch());
        span.setAttribute("tenantry.action", r.action());
        span.setAttribute("tenantry.phase", r.phase().wire());
      }
      return entered;
    } catch (RuntimeException e) {
      LOG.warn("could not trace {} of {} branch {}: {}", r.phase(), r.xid(), r.branch(), e.toString());
      return null;
    }
  }

  private <A> Reply run(LocalBranch<A> action, PhaseTwoRequest r) {
    A args;
    try {
      args = action.args(mapper, r.data());
    } catch (IOException | RuntimeException e) {
      return problem(400, "invalid-body", "Invalid body", "data: not the arguments of '" + action.name() + "'");
    }
    BranchContext ctx = new BranchContext(r.xid(), r.branch(), r.tenant(), r.action(), r.key());
    FenceLog.Phase result;
    try (TenantContext.Scope scope = TenantContext.enter(r.tenant())) {
      result = r.phase() == BranchPhase.CONFIRM
          ? engine.fence().confirm(r.xid(), r.branch(), action.bind(action.confirm(), ctx, args))
          : engine.fence().rollback(r.xid(), r.branch(), r.action(), r.tenant(), action.bind(action.rollback(), ctx, args));
    } catch (Exception e) {
      LOG.warn("{} of {} branch {} ({}/{}) failed; the coordinator will ask again", r.phase(), r.xid(), r.branch(),
          r.action(), r.key(), e);
      return problem(503, "branch-failed", "Branch failed", r.phase() + " failed: " + e.getClass().getSimpleName());
    }
    return switch (result.outcome()) {
      case CONFLICT -> problem(409, "branch-conflict", "Branch conflict", r.phase() + " of branch " + r.branch()
          + " of " + r.xid() + ": the branch is " + (result.found() == null ? "unknown here (its try never ran)"
          : result.found()) + " (expected: tried" + (r.phase() == BranchPhase.CONFIRM ? "" : " or not at all") + ")");
      case DONE, ALREADY, EMPTY_ROLLBACK -> ok(r, result.outcome());
    };
  }

  private static String invalid(PhaseTwoRequest r) {
    if (r == null) {
      return "empty body";
    }
    if (!Xids.isXid(r.xid())) {
      return "xid: (expected: 32 lower-case hex characters)";
    }
    if (r.branch() < 1 || r.branch() > Xids.MAX_BRANCHES) {
      return "branch: " + r.branch() + " (expected: 1.." + Xids.MAX_BRANCHES + ")";
    }
    if (r.phase() == null) {
      return "phase: missing (expected: confirm, cancel or compensate)";
    }
    if (r.namespace() == null || r.service() == null) {
      return "namespace and service: missing";
    }
    if (r.tenant() == null || !Names.isName(r.tenant()) || r.action() == null || !Names.isName(r.action())
        || r.key() == null || !Names.isId(r.key())) {
      return "tenant, action and key: missing or malformed";
    }
    return null;
  }

  private static Reply ok(PhaseTwoRequest r, FenceLog.PhaseOutcome outcome) {
    String json = "{\"xid\":\"" + r.xid() + "\",\"branch\":" + r.branch() + ",\"phase\":\"" + r.phase().wire()
        + "\",\"outcome\":\"" + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "\"}";
    return new Reply(200, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply problem(int status, String type, String title, String detail) {
    return new Reply(status, PROBLEM, ProblemBodies.render(type, title, status, detail, PATH));
  }
}
