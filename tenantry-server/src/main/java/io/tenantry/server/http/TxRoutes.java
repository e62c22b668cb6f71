package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.api.tx.BranchRequest;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.ResolveRequest;
import io.tenantry.api.tx.RollbackRequest;
import io.tenantry.api.tx.TxState;
import io.tenantry.api.tx.Xids;
import io.tenantry.server.security.Action;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.trace.TraceParent;
import io.tenantry.server.tx.Coordinator;
import io.tenantry.server.tx.SigningKeys;
import io.tenantry.server.tx.TxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The transaction coordinator's API ({@link ApiPaths#TRANSACTIONS} and below) and the coordinator's JWKS
 * ({@link ApiPaths#JWKS}, anonymous). Begin, branch, commit and rollback need {@link Action#TRANSACT}; reads
 * {@link Action#READ}; an operator's retry and resolve {@link Action#OPERATE}.
 */
public final class TxRoutes {
  private final Coordinator coordinator;
  private final NamespaceDirectory namespaces;

  private TxRoutes(Coordinator coordinator, NamespaceDirectory namespaces) {
    this.coordinator = coordinator;
    this.namespaces = namespaces;
  }

  public static void install(RoutesConfig routes, Coordinator coordinator, SigningKeys keys, NamespaceDirectory namespaces) {
    TxRoutes r = new TxRoutes(coordinator, namespaces);
    Map<String, ?> jwks = keys.jwks();
    routes.get(ApiPaths.JWKS, ctx -> ctx.json(jwks));
    routes.post(ApiPaths.TRANSACTIONS, r::begin);
    routes.get(ApiPaths.TRANSACTIONS, r::list);
    routes.get(ApiPaths.TRANSACTION, r::get);
    routes.post(ApiPaths.TRANSACTION_BRANCHES, r::branch);
    routes.post(ApiPaths.TRANSACTION_COMMIT, r::commit);
    routes.post(ApiPaths.TRANSACTION_ROLLBACK, r::rollback);
    routes.post(ApiPaths.TRANSACTION_RETRY, r::retry);
    routes.post(ApiPaths.TRANSACTION_RESOLVE, r::resolve);
  }

  private void begin(Context ctx) {
    String ns = namespace(ctx, Action.TRANSACT);
    BeginRequest req = Requests.body(ctx, BeginRequest.class);
    // the caller's trace context: phase two's calls join the trace that began the transaction
    TraceParent trace = TraceParent.parse(ctx.header("traceparent"), ctx.header("tracestate"));
    JsonAnswers.write(ctx, 201, coordinator.begin(ns, Requests.principal(ctx).keyId(), req, trace));
  }

  private void list(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    String tenant = Requests.queryName(ctx, "tenant");
    TxState state = Requests.query(ctx, "state", TxState::of);
    Long limit = Requests.queryPositive(ctx, "limit");
    String before = Requests.query(ctx, "before", v -> Xids.xid("before", v));
    int pageSize = limit == null ? Coordinator.DEFAULT_LIST_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE);
    List<GlobalTransaction> items = coordinator.list(ns, tenant, state, before, pageSize);
    // a full page may have more after it: the next one is asked with ?before=<next>
    ctx.json(items.size() < pageSize ? Map.of("items", items)
        : Map.of("items", items, "next", items.get(items.size() - 1).xid()));
  }

  private void get(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    JsonAnswers.write(ctx, 200, coordinator.get(ns, xid(ctx)));
  }

  private void branch(Context ctx) {
    String ns = namespace(ctx, Action.TRANSACT);
    String xid = xid(ctx);
    BranchRequest req = Requests.body(ctx, BranchRequest.class);
    Coordinator.Registered r = coordinator.register(ns, xid, req);
    JsonAnswers.write(ctx, r.created() ? 201 : 200, r.branch());
  }

  private void commit(Context ctx) {
    String ns = namespace(ctx, Action.TRANSACT);
    String xid = xid(ctx);
    Duration wait = waitParam(ctx);
    answer(ctx, ns, coordinator.commit(ns, xid, Requests.principal(ctx).keyId()), wait);
  }

  private void rollback(Context ctx) {
    String ns = namespace(ctx, Action.TRANSACT);
    String xid = xid(ctx);
    Duration wait = waitParam(ctx);
    RollbackRequest req = Requests.optionalBody(ctx, RollbackRequest.class);
    if (req == null) {
      req = new RollbackRequest(null);
    }
    answer(ctx, ns, coordinator.rollback(ns, xid, Requests.principal(ctx).keyId(), req.reason()), wait);
  }

  private void retry(Context ctx) {
    String ns = namespace(ctx, Action.OPERATE);
    ctx.json(coordinator.retry(ns, xid(ctx), Requests.principal(ctx).keyId()));
  }

  private void resolve(Context ctx) {
    String ns = namespace(ctx, Action.OPERATE);
    String xid = xid(ctx);
    ResolveRequest req = Requests.body(ctx, ResolveRequest.class);
    ctx.json(coordinator.resolve(ns, xid, Requests.principal(ctx).keyId(), req));
  }

  /** Answers at once, or once the transaction settled or {@code wait} elapsed. */
  private void answer(Context ctx, String ns, GlobalTransaction tx, Duration wait) {
    if (wait.isZero() || tx.state().isFinal() || tx.state() == TxState.STUCK) {
      JsonAnswers.write(ctx, 200, tx);
      return;
    }
    ctx.future(() -> coordinator.await(ns, tx.xid(), wait).thenAccept(ctx::json));
  }

  private String namespace(Context ctx, Action action) {
    return Existing.namespace(namespaces, Requests.namespace(ctx, action));
  }

  private static String xid(Context ctx) {
    try {
      return Xids.xid("xid", ctx.pathParam("xid"));
    } catch (ValidationException e) {
      throw Requests.badInput(e);
    }
  }

  /** {@code ?wait=}: 0s to 30s, default 0. */
  private static Duration waitParam(Context ctx) {
    Duration wait = Requests.query(ctx, "wait", v -> DurationText.parse("wait", v, Duration.ZERO, TxSettings.MAX_WAIT));
    return wait == null ? Duration.ZERO : wait;
  }
}
