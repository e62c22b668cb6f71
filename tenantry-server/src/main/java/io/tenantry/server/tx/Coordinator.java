package io.tenantry.server.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchRequest;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.ResolveRequest;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import io.tenantry.api.tx.Xids;
import io.tenantry.api.policy.DurationText;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.BranchRegistration;
import io.tenantry.server.store.StoreException;
import io.tenantry.server.store.StoredTx;
import io.tenantry.server.trace.TraceParent;
import io.tenantry.server.store.TxStore;
import io.tenantry.server.store.TxWrite;
import io.tenantry.server.tenant.TenantService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The transaction coordinator's decisions: begin, register a branch, commit, roll back, time out, and an
 * operator's retry and resolve. Every decision is a conditional write to the durable log ({@link TxLog}, group
 * commit) before anyone is told of it and before phase two starts; a decision that lost a race to another (a
 * commit against a timeout, two nodes) is read again and answered as the winner left it. Phase two is handed to
 * the {@link PhaseTwoDriver} when this process leads; otherwise the leader's next scan finds it. Thread-safe.
 */
public final class Coordinator {
  public static final int DEFAULT_LIST_LIMIT = 100;
  public static final int MAX_LIST_LIMIT = 1000;
  /** A decision lost to a concurrent one is re-read and retried this often before giving up (it never should). */
  private static final int MAX_RACES = 5;
  private static final ObjectMapper JSON = Json.newMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final TxStore store;
  private final TxLog log;
  private final TenantGate tenants;
  private final ActiveCache active = new ActiveCache();
  private final Clock clock;
  private final BooleanSupplier leading;
  private PhaseTwoDriver driver;
  /** Callers waiting for a transaction of this process to settle ({@code ?wait=}). */
  /** The callers waiting for a transaction to settle, each with its own deadline: by xid. */
  private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

  Coordinator(TxStore store, TxLog log, TenantService tenants, Clock clock, BooleanSupplier leading) {
    this.store = store;
    this.log = log;
    this.tenants = new TenantGate(tenants);
    this.clock = clock;
    this.leading = leading;
  }

  void driveWith(PhaseTwoDriver driver) {
    this.driver = driver;
  }

  /**
   * Begins a transaction of an existing, active tenant; durable before it returns. Its phase-two calls join
   * {@code trace}, the context the begin arrived with (null: none).
   */
  public GlobalTransaction begin(String namespace, String actor, BeginRequest req, TraceParent trace) {
    tenants.requireActive(namespace, req.tenant());
    Instant now = clock.instant();
    Duration timeout = req.timeoutDuration();
    GlobalTransaction tx = new GlobalTransaction(newXid(now), namespace, req.tenant(), req.mode(), req.name(),
        TxState.ACTIVE, null, DurationText.format(timeout), now, now.plus(timeout), null, null, null, null);
    StoredTx stored = new StoredTx(tx, null, 0, actor, trace);
    log.write(new TxWrite.Begin(stored));
    active.put(stored);
    return tx;
  }

  /** The transaction with its branches and events; 404 if it is not in the namespace. */
  public GlobalTransaction get(String namespace, String xid) {
    StoredTx s = require(namespace, xid);
    List<TxEvent> events = new ArrayList<>();
    events.add(new TxEvent(s.tx().begunAt(), "begun", s.begunBy(), null));
    events.addAll(store.events(xid));
    GlobalTransaction t = s.tx();
    return new GlobalTransaction(t.xid(), t.namespace(), t.tenant(), t.mode(), t.name(), t.state(), t.reason(),
        t.timeout(), t.begunAt(), t.deadline(), t.decidedAt(), t.endedAt(), store.branches(xid), events);
  }

  /** A namespace's transactions, newest first, older than {@code before} unless null, without branches and events. */
  public List<GlobalTransaction> list(String namespace, String tenant, TxState state, String before, int limit) {
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw ApiException.badRequest("limit", "limit: " + limit + " (expected: 1 to " + MAX_LIST_LIMIT + ")");
    }
    return store.list(namespace, tenant, state, before, limit).stream().map(StoredTx::tx).toList();
  }

  /** A branch and whether it is new (false: the same service, action and key were registered before). */
  public record Registered(Branch branch, boolean created) {}

  /** Registers a branch of an active transaction, durable before it returns. */
  public Registered register(String namespace, String xid, BranchRequest req) {
    String data = null;
    if (req.data() != null && !req.data().isNull()) {
      try {
        data = JSON.writeValueAsString(req.data());
      } catch (JsonProcessingException e) {
        throw ApiException.badRequest("data", "data: not JSON");
      }
      int bytes = data.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > Xids.MAX_DATA_BYTES) {
        throw new ApiException(413, "payload-too-large",
            "data: " + bytes + " bytes (expected: at most " + Xids.MAX_DATA_BYTES + ")", "data");
      }
    }
    Instant now = clock.instant();
    BranchRegistration r = store.register(namespace, xid,
        new TxStore.NewBranch(req.tenant(), req.service(), req.action(), req.key(), req.instance(), data, now),
        Xids.MAX_BRANCHES);
    return switch (r.outcome()) {
      case CREATED -> {
        active.branchAdded(xid, r.branch().id());
        yield new Registered(r.branch(), true);
      }
      case EXISTING -> new Registered(r.branch(), false);
      case NOT_FOUND -> throw notFound(xid);
      case WRONG_TENANT -> throw new ApiException(409, "tenant-mismatch", "transaction " + xid + " is tenant '"
          + r.tx().tx().tenant() + "''s (expected the branch's tenant '" + req.tenant() + "')", "tenant");
      case TOO_MANY -> throw new ApiException(409, "too-many-branches",
          "transaction " + xid + " has " + Xids.MAX_BRANCHES + " branches (expected: at most " + Xids.MAX_BRANCHES + ")");
      case EXPIRED -> {
        StoredTx after = timeOut(r.tx());
        throw notActive(after);
      }
      case NOT_ACTIVE -> throw notActive(r.tx());
    };
  }

  /**
   * Commits: TCC with branches becomes committing (durable) and phase two confirms every branch; a saga, or a
   * transaction without branches, is committed at once. Idempotent; 409 if it is rolling back or rolled back.
   */
  public GlobalTransaction commit(String namespace, String xid, String actor) {
    StoredTx cached = active.take(namespace, xid);
    for (int race = 0; race < MAX_RACES; race++) {
      StoredTx s = race == 0 && cached != null ? cached : require(namespace, xid);
      TxState decided = s.decision();
      switch (s.state()) {
        case COMMITTING, COMMITTED:
          return s.tx();
        case ROLLING_BACK, ROLLED_BACK:
          throw rolledBack(s);
        case STUCK:
          if (decided == TxState.COMMITTING) {
            return s.tx();
          }
          throw rolledBack(s);
        case ACTIVE:
          Instant now = clock.instant();
          if (!now.isBefore(s.tx().deadline())) {
            throw rolledBack(timeOut(s));
          }
          boolean saga = s.tx().mode() == TxMode.SAGA;
          boolean atOnce = saga || s.branchCount() == 0;
          TxState to = atOnce ? TxState.COMMITTED : TxState.COMMITTING;
          // only an immediate TCC commit depends on the count (none to confirm); the rest reads branches after
          int expected = atOnce && !saga ? 0 : -1;
          TxWrite.Transition t = new TxWrite.Transition(xid, TxState.ACTIVE, to, expected, now,
              TxState.COMMITTING, null, now, atOnce ? now : null, saga ? BranchState.REGISTERED : null,
              saga ? BranchState.COMMITTED : null, false, new TxEvent(now, "commit", actor, null));
          if (log.write(t)) {
            GlobalTransaction after = with(s, to, TxState.COMMITTING, s.tx().reason(), now, atOnce ? now : null);
            if (!atOnce) {
              startPhaseTwo(new StoredTx(after, TxState.COMMITTING, s.branchCount(), s.begunBy(), s.trace()));
            }
            return after;
          }
          break;
        default:
          throw new IllegalStateException("state " + s.state());
      }
    }
    throw raced(xid);
  }

  /**
   * Rolls back: becomes rolling-back (durable) and phase two cancels (TCC) or compensates (saga, in reverse
   * order) every branch; without branches it is rolled back at once. Idempotent; 409 if it is committing or
   * committed.
   */
  public GlobalTransaction rollback(String namespace, String xid, String actor, String reason) {
    StoredTx cached = active.take(namespace, xid);
    for (int race = 0; race < MAX_RACES; race++) {
      StoredTx s = race == 0 && cached != null ? cached : require(namespace, xid);
      switch (s.state()) {
        case ROLLING_BACK, ROLLED_BACK:
          return s.tx();
        case COMMITTING, COMMITTED:
          throw committed(s);
        case STUCK:
          if (s.decision() == TxState.ROLLING_BACK) {
            return s.tx();
          }
          throw committed(s);
        case ACTIVE:
          StoredTx after = decideRollback(s, actor, "rollback", reason == null ? "rollback requested" : reason);
          if (after != null) {
            return after.tx();
          }
          break;
        default:
          throw new IllegalStateException("state " + s.state());
      }
    }
    throw raced(xid);
  }

  /** Rolls back an active transaction past its deadline (reason timeout); answers it as it then stands. */
  StoredTx timeOut(StoredTx s) {
    active.forget(s.xid());
    StoredTx current = s;
    for (int race = 0; race < MAX_RACES && current.state() == TxState.ACTIVE; race++) {
      StoredTx after = decideRollback(current, PhaseTwoDriver.COORDINATOR, "timeout", "timeout");
      if (after != null) {
        return after;
      }
      current = require(s.tx().namespace(), s.xid());
    }
    return current;
  }

  /** Writes the rollback decision of active {@code s}; null if it was not active any more. */
  private StoredTx decideRollback(StoredTx s, String actor, String kind, String reason) {
    Instant now = clock.instant();
    boolean atOnce = s.branchCount() == 0;
    TxState to = atOnce ? TxState.ROLLED_BACK : TxState.ROLLING_BACK;
    TxWrite.Transition t = new TxWrite.Transition(s.xid(), TxState.ACTIVE, to, atOnce ? 0 : -1, null,
        TxState.ROLLING_BACK, reason, now, atOnce ? now : null, null, null, false, new TxEvent(now, kind, actor, reason));
    if (!log.write(t)) {
      return null;
    }
    StoredTx after = new StoredTx(with(s, to, TxState.ROLLING_BACK, reason, now, atOnce ? now : null),
        TxState.ROLLING_BACK, s.branchCount(), s.begunBy(), s.trace());
    if (!atOnce) {
      startPhaseTwo(after);
    }
    return after;
  }

  /** An operator's retry: a stuck transaction goes back to its phase two, failed branches' attempts reset. */
  public GlobalTransaction retry(String namespace, String xid, String actor) {
    StoredTx s = require(namespace, xid);
    if (s.state() != TxState.STUCK) {
      throw notStuck(s);
    }
    Instant now = clock.instant();
    TxWrite.Transition t = new TxWrite.Transition(xid, TxState.STUCK, s.decision(), -1, null, null, null, null, null,
        BranchState.FAILED, BranchState.REGISTERED, true, new TxEvent(now, "retry", actor, "back to " + s.decision()));
    if (!log.write(t)) {
      throw notStuck(require(namespace, xid));
    }
    StoredTx after = require(namespace, xid);
    if (after.state() == s.decision()) {
      startPhaseTwo(after);
    }
    return after.tx();
  }

  /** An operator's verdict: a stuck transaction becomes committed or rolled-back. */
  public GlobalTransaction resolve(String namespace, String xid, String actor, ResolveRequest req) {
    StoredTx s = require(namespace, xid);
    if (s.state() != TxState.STUCK) {
      throw notStuck(s);
    }
    Instant now = clock.instant();
    TxWrite.Transition t = new TxWrite.Transition(xid, TxState.STUCK, req.outcome(), -1, null, null, req.reason(), null,
        now, null, null, false, new TxEvent(now, "resolved", actor, req.outcome() + ": " + req.reason()));
    if (!log.write(t)) {
      throw notStuck(require(namespace, xid));
    }
    settled(xid);
    return require(namespace, xid).tx();
  }

  /**
   * Completes with the transaction once it is final or stuck, or as it stands after {@code wait} (driven by
   * this process; a transaction another node drives is answered after the wait).
   */
  public CompletableFuture<GlobalTransaction> await(String namespace, String xid, Duration wait) {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    // registered before the state is read: a transaction settling in between completes it
    waiters.computeIfAbsent(xid, x -> ConcurrentHashMap.newKeySet()).add(settled);
    StoredTx now = require(namespace, xid);
    if (now.state().isFinal() || now.state() == TxState.STUCK || now.state() == TxState.ACTIVE) {
      settled(xid);
      return CompletableFuture.completedFuture(now.tx());
    }
    settled.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS); // this caller's wait only
    settled.whenComplete((v, e) -> waiters.computeIfPresent(xid, (x, all) -> {
      all.remove(settled);
      return all.isEmpty() ? null : all;
    }));
    return settled.thenApply(v -> require(namespace, xid).tx());
  }

  /** Forgets the hints of transactions past their deadline (every node, leader or not). */
  void forgetExpired(Instant now) {
    active.forgetExpired(now);
  }

  /** Tells the callers waiting for {@code xid} that it settled. */
  void settled(String xid) {
    Set<CompletableFuture<Void>> all = waiters.remove(xid);
    if (all != null) {
      all.forEach(f -> f.complete(null));
    }
  }

  private void startPhaseTwo(StoredTx decided) {
    if (driver != null && leading.getAsBoolean()) {
      driver.drive(decided);
    }
  }

  private StoredTx require(String namespace, String xid) {
    return store.get(namespace, xid).orElseThrow(() -> notFound(xid));
  }

  private static GlobalTransaction with(StoredTx s, TxState state, TxState decision, String reason, Instant decided,
      Instant ended) {
    GlobalTransaction t = s.tx();
    return new GlobalTransaction(t.xid(), t.namespace(), t.tenant(), t.mode(), t.name(), state, reason, t.timeout(),
        t.begunAt(), t.deadline(), decided, ended, null, null);
  }

  /** 32 hex characters: the begin time in milliseconds (12), then 80 random bits (20). */
  static String newXid(Instant now) {
    // no String.format: it parsed its pattern on every begin (4% of a request thread's time in a profile)
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HEX.toHexDigits(now.toEpochMilli()).substring(4) + HEX.toHexDigits(r.nextLong())
        + HEX.toHexDigits((short) r.nextInt());
  }

  private static ApiException notFound(String xid) {
    return new ApiException(404, "transaction-not-found", "transaction " + xid + " does not exist");
  }

  private static ApiException notActive(StoredTx s) {
    return new ApiException(409, "transaction-not-active", "transaction " + s.xid() + " is " + s.state()
        + (s.tx().reason() == null ? "" : " (" + s.tx().reason() + ")") + " (expected: active)");
  }

  private static ApiException rolledBack(StoredTx s) {
    return new ApiException(409, "transaction-rolled-back", "transaction " + s.xid() + " is " + s.state()
        + " (reason: " + (s.tx().reason() == null ? "none given" : s.tx().reason()) + ")");
  }

  private static ApiException committed(StoredTx s) {
    return new ApiException(409, "transaction-committed", "transaction " + s.xid() + " is " + s.state()
        + " (commit was decided)");
  }

  private static ApiException notStuck(StoredTx s) {
    return new ApiException(409, "transaction-not-stuck", "transaction " + s.xid() + " is " + s.state()
        + " (expected: stuck)");
  }

  private static StoreException raced(String xid) {
    return new StoreException("transaction " + xid + " kept changing under a decision", null);
  }
}
