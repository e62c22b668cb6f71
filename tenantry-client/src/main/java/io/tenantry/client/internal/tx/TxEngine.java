package io.tenantry.client.internal.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Names;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchRequest;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.RollbackRequest;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.Xids;
import io.tenantry.client.TenantryException;
import io.tenantry.client.internal.ControlPlane;
import io.tenantry.client.internal.TenantSlot;
import io.tenantry.client.internal.trace.Tracing;
import io.tenantry.client.tx.BranchContext;
import io.tenantry.client.tx.BranchFunction;
import io.tenantry.client.tx.BranchRefusedException;
import io.tenantry.client.tx.GlobalTx;
import io.tenantry.client.tx.Saga;
import io.tenantry.client.tx.SagaStep;
import io.tenantry.client.tx.TccAction;
import io.tenantry.client.tx.Transactions;
import io.tenantry.client.tx.TxBody;
import io.tenantry.client.tx.TxOptions;
import io.tenantry.client.tx.TxRolledBackException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transactions} of one client: the initiator's begin/commit/rollback through the control plane, this
 * service's declared actions, the per-thread current transaction and the branch registration of a try or saga
 * step. Phase two is served by {@link PhaseTwoEndpoint} with the actions declared here.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TxEngine implements Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(TxEngine.class);

  private final ControlPlane coordinator;
  private final FenceLog fence; // null: no transactionLog, so no actions of this service
  private final ObjectMapper mapper;
  private final String service; // null: the client serves no service
  private final Supplier<String> instance; // this process's instance of the service, or null
  private final java.time.Clock clock;
  private final Tracing tracing; // null: calls to the coordinator not traced
  private final ThreadLocal<GlobalTx> current = new ThreadLocal<>();
  private final ConcurrentHashMap<String, LocalBranch<?>> actions = new ConcurrentHashMap<>();

  /** An engine whose calls to the coordinator are spans of {@code tracing} (within a sampled trace). */
  public TxEngine(ControlPlane coordinator, FenceLog fence, ObjectMapper mapper, String service,
      Supplier<String> instance, java.time.Clock clock, Tracing tracing) {
    this.tracing = tracing;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.fence = fence;
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.service = service;
    this.instance = Objects.requireNonNull(instance, "instance");
  }

  /** The fence log, or null without a transaction log. */
  public FenceLog fence() {
    return fence;
  }

  /** The action {@code name} declared by this service, or null. */
  LocalBranch<?> action(String name) {
    return actions.get(name);
  }

  /** This service's name, or null. */
  String service() {
    return service;
  }

  @Override
  public <A> TccAction<A> tcc(String name, Class<A> argsType, BranchFunction<A> tryFn, BranchFunction<A> confirmFn,
      BranchFunction<A> cancelFn) {
    LocalBranch<A> b = declare(new LocalBranch<>(Names.name("name", name), TxMode.TCC,
        Objects.requireNonNull(argsType, "argsType"), Objects.requireNonNull(tryFn, "tryFn"),
        Objects.requireNonNull(confirmFn, "confirmFn"), Objects.requireNonNull(cancelFn, "cancelFn")));
    return new TccAction<>() {
      @Override
      public String name() {
        return b.name();
      }

      @Override
      public boolean tryBranch(String key, A args) {
        return runFirst(b, key, args);
      }

      @Override
      public String toString() {
        return "TccAction " + b.name();
      }
    };
  }

  @Override
  public <A> SagaStep<A> sagaStep(String name, Class<A> argsType, BranchFunction<A> action,
      BranchFunction<A> compensation) {
    LocalBranch<A> b = declare(new LocalBranch<>(Names.name("name", name), TxMode.SAGA,
        Objects.requireNonNull(argsType, "argsType"), Objects.requireNonNull(action, "action"), null,
        Objects.requireNonNull(compensation, "compensation")));
    return new SagaStep<>() {
      @Override
      public String name() {
        return b.name();
      }

      @Override
      public boolean run(String key, A args) {
        return runFirst(b, key, args);
      }

      @Override
      public String toString() {
        return "SagaStep " + b.name();
      }
    };
  }

  private <A> LocalBranch<A> declare(LocalBranch<A> b) {
    if (fence == null) {
      throw new IllegalStateException("action " + b.name() + ": no transaction log (expected: the client built with"
          + " transactionLog(dataSource))");
    }
    if (service == null) {
      throw new IllegalStateException("action " + b.name() + ": no service (expected: the client built with"
          + " serviceName(name), the service the coordinator calls for phase two)");
    }
    if (actions.putIfAbsent(b.name(), b) != null) {
      throw new IllegalStateException("action " + b.name() + ": already declared");
    }
    return b;
  }

  /** Registers the branch, then runs its try (or saga step) through the fence. */
  private <A> boolean runFirst(LocalBranch<A> b, String key, A args) {
    GlobalTx g = current.get();
    if (g == null) {
      throw new IllegalStateException(b.name() + "/" + key + ": no global transaction is current (expected: inside"
          + " inTransaction, or serving a call that carried X-Tenantry-Xid)");
    }
    Names.id("key", key);
    JsonNode data = data(b, args);
    Branch branch = register(g, b.name(), key, data);
    BranchContext ctx = new BranchContext(g.xid(), branch.id(), g.tenant(), b.name(), key);
    FenceLog.TryOutcome outcome;
    try {
      outcome = fence.tryBranch(g.xid(), branch.id(), b.name(), g.tenant(), b.bind(b.first(), ctx, args));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(b.name() + "/" + key + " of " + g.xid() + " failed: " + e, e);
    }
    if (outcome == FenceLog.TryOutcome.REFUSED) {
      throw new BranchRefusedException(g.xid(), b.name(), key, "its cancel arrived first (suspended)");
    }
    return outcome == FenceLog.TryOutcome.RAN;
  }

  private JsonNode data(LocalBranch<?> b, Object args) {
    JsonNode data = mapper.valueToTree(args);
    int size;
    try {
      size = mapper.writeValueAsBytes(data).length;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("args of " + b.name() + ": not serialisable as JSON: " + e.getMessage(), e);
    }
    if (size > Xids.MAX_DATA_BYTES) {
      throw new IllegalArgumentException("args of " + b.name() + ": " + size + " bytes as JSON (expected: at most "
          + Xids.MAX_DATA_BYTES + ")");
    }
    return data;
  }

  private Branch register(GlobalTx g, String action, String key, JsonNode data) {
    BranchRequest request = new BranchRequest(g.tenant(), service, action, key, instanceId(), data);
    try {
      return traced("register " + action, g.tenant(), g.xid(), () -> CoordinatorCalls.retried(
          () -> "register " + action + "/" + key + " with " + g.xid(), () -> coordinator.registerBranch(g.xid(), request)));
    } catch (TenantryException e) {
      if (e.status() == 409) {
        throw new BranchRefusedException(g.xid(), action, key, e.getMessage());
      }
      throw e;
    }
  }

  private String instanceId() {
    String id = instance.get();
    return id == null || !Names.isId(id) ? null : id;
  }

  @Override
  public <T> T inTransaction(TxOptions options, TxBody<T> body) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(body, "body");
    if (current.get() != null) {
      throw new IllegalStateException("transaction " + current.get().xid() + " is already current on this thread"
          + " (expected: no nested inTransaction)");
    }
    String tenant = TenantSlot.current();
    if (tenant == null) {
      throw new IllegalStateException("no tenant is current (expected: inside TenantContext.enter(tenant))");
    }
    GlobalTransaction begun = traced("begin " + options.name(), tenant, null, () -> CoordinatorCalls.retried(
        () -> "begin " + options, () -> coordinator.begin(
        new BeginRequest(tenant, options.mode(), options.name(), DurationText.format(options.timeout())))));
    GlobalTx g = new GlobalTx(begun.xid(), tenant, options.mode(), options.name());
    T result;
    current.set(g);
    try {
      result = body.run(g);
    } catch (Throwable e) {
      current.remove();
      String reason = reason(e);
      rollbackQuietly(g, reason, options.waitForPhaseTwo());
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error err) {
        throw err;
      }
      throw new TxRolledBackException(g.xid(), reason, e);
    } finally {
      current.remove();
    }
    try {
      traced("commit", tenant, g.xid(), () -> CoordinatorCalls.retried(() -> "commit " + g.xid(),
          () -> coordinator.commit(g.xid(), options.waitForPhaseTwo())));
    } catch (TenantryException e) {
      if (e.status() == 409) {
        throw new TxRolledBackException(g.xid(), e.getMessage(), null);
      }
      throw e;
    }
    return result;
  }

  private void rollbackQuietly(GlobalTx g, String reason, Duration wait) {
    try {
      traced("rollback", g.tenant(), g.xid(), () -> CoordinatorCalls.retried(() -> "rollback " + g.xid(),
          () -> coordinator.rollback(g.xid(), new RollbackRequest(reason), wait)));
    } catch (RuntimeException e) {
      // the coordinator rolls it back at its deadline anyway
      LOG.warn("rollback of {} failed ({}); its timeout will roll it back", g.xid(), e.toString());
    }
  }

  /** {@code call} to the coordinator, a CLIENT span of its own within a sampled trace (see Tracing). */
  private <T> T traced(String name, String tenant, String xid, Supplier<T> call) {
    return tracing == null ? call.get() : tracing.coordinatorCall(name, tenant, xid, call);
  }

  private static String reason(Throwable e) {
    String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < s.length() && clean.length() < 200; i++) {
      char c = s.charAt(i);
      clean.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return clean.toString();
  }

  @Override
  public Saga saga(String name) {
    return SagaRun.empty(this, Names.name("name", name));
  }

  /** The id of the transaction current on this thread, or null: what outbound calls carry. */
  public String currentXid() {
    GlobalTx g = current.get();
    return g == null ? null : g.xid();
  }

  @Override
  public GlobalTx current() {
    return current.get();
  }

  @Override
  public Scope join(String xid) {
    Xids.xid("xid", xid);
    String tenant = TenantSlot.current();
    if (tenant == null) {
      throw new IllegalStateException("no tenant is current (expected: the tenant of the call that carried the xid)");
    }
    return enter(new GlobalTx(xid, tenant, null, null));
  }

  @Override
  public <T> T callIn(GlobalTx tx, Supplier<T> work) {
    Objects.requireNonNull(tx, "tx");
    try (Scope s = enter(tx)) {
      return work.get();
    }
  }

  private Scope enter(GlobalTx tx) {
    GlobalTx previous = current.get();
    Thread owner = Thread.currentThread();
    current.set(tx);
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (Thread.currentThread() != owner) {
          throw new IllegalStateException("scope closed on thread " + Thread.currentThread().getName()
              + " (expected: the thread that entered it)");
        }
        closed = true;
        if (previous == null) {
          current.remove();
        } else {
          current.set(previous);
        }
      }
    };
  }

  /** Deletes the fence rows no phase two can need for longer than {@code retention}; for the hourly housekeeping. */
  public void purge(Duration retention) {
    if (fence == null) {
      return;
    }
    try {
      Set<String> sagaSteps = actions.values().stream().filter(a -> a.mode() == TxMode.SAGA).map(LocalBranch::name)
          .collect(Collectors.toSet());
      int n = fence.purge(clock.instant().minus(retention), sagaSteps);
      if (n > 0) {
        LOG.debug("purged {} old fence rows", n);
      }
    } catch (SQLException e) {
      LOG.warn("could not purge old fence rows: {}", e.toString());
    }
  }
}
