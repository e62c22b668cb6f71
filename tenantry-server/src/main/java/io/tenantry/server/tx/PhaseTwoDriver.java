package io.tenantry.server.tx;

import io.tenantry.api.Instance;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.PhaseTwoRequest;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import io.tenantry.api.tx.Xids;
import io.tenantry.server.store.StoredTx;
import io.tenantry.server.store.TxStore;
import io.tenantry.server.store.TxWrite;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two of decided transactions: confirms (commit) or cancels (TCC rollback, every branch at once) or
 * compensates (saga rollback, strictly in reverse registration order, one at a time) each branch not yet done,
 * retrying with backoff until it is acknowledged. A participant's 409 or a saga compensation out of attempts
 * makes the transaction stuck. Every acknowledgement and the final state are written to the log; what is
 * acknowledged is never asked again, and the rest is resumed from the log after a restart. A transaction is
 * driven by at most one drive of this process at a time. Thread-safe.
 */
final class PhaseTwoDriver {
  private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDriver.class);
  static final String COORDINATOR = "coordinator";

  private final TxStore store;
  private final TxLog log;
  private final Participants participants;
  private final PhaseTwoCall call;
  private final PhaseTwoSpans spans;
  private final SigningKeys keys;
  private final TxSettings settings;
  private final Clock clock;
  private final TxMeters meters;
  private final ScheduledExecutorService timer;
  /** Told of every transaction this driver finished or left stuck. */
  private final Consumer<String> onSettled;
  private final Set<String> driving = ConcurrentHashMap.newKeySet();

  PhaseTwoDriver(TxStore store, TxLog log, Participants participants, PhaseTwoCall call, PhaseTwoSpans spans,
      SigningKeys keys, TxSettings settings, Clock clock, TxMeters meters, ScheduledExecutorService timer,
      Consumer<String> onSettled) {
    this.meters = meters;
    this.spans = spans;
    this.store = store;
    this.log = log;
    this.participants = participants;
    this.call = call;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
    this.timer = timer;
    this.onSettled = onSettled;
  }

  /**
   * Starts phase two of {@code tx} (as its decision left it: committing or rolling-back) unless this process drives
   * it already. Returns at once; the branches are read on the coordinator's pool, after the decision is durable.
   */
  void drive(StoredTx tx) {
    if (tx.state() != TxState.COMMITTING && tx.state() != TxState.ROLLING_BACK) {
      throw new IllegalArgumentException("phase two of a transaction in state " + tx.state());
    }
    if (driving.add(tx.xid())) {
      timer.execute(() -> begin(tx));
    }
  }

  private void begin(StoredTx tx) {
    try {
      new Drive(tx, store.branches(tx.xid())).next();
    } catch (RuntimeException e) {
      // the store is away: the leader's next scan picks the transaction up again
      LOG.warn("phase two of {} could not start: {}", tx.xid(), e.getMessage());
      driving.remove(tx.xid());
    }
  }

  /** The phase two of one transaction. Its methods run one at a time (synchronized). */
  private final class Drive {
    private final StoredTx tx;
    private final boolean commit;
    private final BranchPhase phase;
    private final BranchState done;
    /** Branches still to do, in the order they are to be done (saga rollback: reverse registration). */
    private final List<Branch> pending;
    private final int[] attempts;
    private int inFlight;
    private boolean over;

    Drive(StoredTx tx, List<Branch> branches) {
      this.tx = tx;
      this.commit = tx.state() == TxState.COMMITTING;
      this.phase = commit ? BranchPhase.CONFIRM : tx.tx().mode() == TxMode.TCC ? BranchPhase.CANCEL : BranchPhase.COMPENSATE;
      this.done = commit ? BranchState.COMMITTED : BranchState.ROLLED_BACK;
      List<Branch> todo = new ArrayList<>(branches.stream().filter(b -> b.state() == BranchState.REGISTERED).toList());
      if (phase == BranchPhase.COMPENSATE) {
        java.util.Collections.reverse(todo);
      }
      this.pending = todo;
      this.attempts = new int[Xids.MAX_BRANCHES + 1];
      todo.forEach(b -> attempts[b.id()] = b.attempts());
    }

    private boolean sequential() {
      return phase == BranchPhase.COMPENSATE;
    }

    synchronized void next() {
      if (over) {
        return;
      }
      if (pending.isEmpty()) {
        finish();
        return;
      }
      if (sequential()) {
        if (inFlight == 0) {
          attempt(pending.get(0));
        }
      } else if (inFlight == 0) {
        pending.forEach(this::attempt);
      }
    }

    private void attempt(Branch b) {
      inFlight++;
      int n = ++attempts[b.id()];
      PhaseTwoSpans.Attempt span = spans.start(tx);
      List<Instance> candidates = participants.candidates(tx.tx().namespace(), b.service(), b.instance());
      if (candidates.isEmpty()) {
        PhaseTwoCall.Result none = new PhaseTwoCall.Result(PhaseTwoCall.Kind.RETRY,
            "no UP instance of service '" + b.service() + "'");
        timer.execute(() -> {
          spans.end(tx, b, phase, n, null, span, none);
          answered(b, n, none);
        });
        return;
      }
      Instance target = candidates.get((n - 1) % candidates.size());
      PhaseTwoRequest body = new PhaseTwoRequest(tx.tx().namespace(), tx.tx().tenant(), tx.xid(), b.id(), b.service(),
          b.action(), b.key(), phase, b.data());
      CompletableFuture<PhaseTwoCall.Result> sent;
      try {
        String token = keys.mint(tx.tx().namespace(), b.service(), tx.xid(), b.id(), phase);
        sent = call.send(target, body, token, span == null ? null : span.sent());
      } catch (RuntimeException e) { // no token, no request: an attempt that failed here, retried like any other
        sent = CompletableFuture.completedFuture(new PhaseTwoCall.Result(PhaseTwoCall.Kind.RETRY,
            "cannot send to " + target.id() + ": " + e));
      }
      sent.thenAcceptAsync(r -> {
        spans.end(tx, b, phase, n, target, span, r);
        answered(b, n, r);
      }, timer);
    }

    private void answered(Branch b, int n, PhaseTwoCall.Result r) {
      meters.call(phase, r.kind());
      try {
        switch (r.kind()) {
          case DONE -> acknowledged(b, n);
          case REFUSED -> stuck(b, n, r.error());
          case RETRY -> {
            if (sequential() && n >= settings.sagaMaxAttempts()) {
              stuck(b, n, "compensation failed " + n + " times, the last: " + r.error());
            } else {
              retryLater(b, n, r.error());
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("phase two of {} paused: {}", tx.xid(), e.getMessage());
        abandon();
      }
    }

    private void acknowledged(Branch b, int n) {
      log.append(new TxWrite.BranchUpdate(tx.xid(), b.id(), BranchState.REGISTERED, done, n, null, clock.instant()))
          .whenCompleteAsync((outcome, e) -> {
            if (failed(outcome, e)) {
              return;
            }
            synchronized (this) {
              pending.remove(b);
              inFlight--;
            }
            next();
          }, timer);
    }

    private void retryLater(Branch b, int n, String error) {
      // the attempt's record; if it is lost, only the count and the error of this attempt are
      log.append(new TxWrite.BranchUpdate(tx.xid(), b.id(), BranchState.REGISTERED, BranchState.REGISTERED, n, error,
          clock.instant()));
      Duration wait = Backoff.after(n, settings.retryBaseBackoff(), settings.retryMaxBackoff());
      timer.schedule(() -> {
        synchronized (this) {
          if (!over) {
            inFlight--;
            attempt(b);
          }
        }
      }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stuck(Branch b, int n, String error) {
      synchronized (this) {
        if (over) {
          return;
        }
        over = true;
      }
      String reason = "branch " + b.id() + " (" + b.service() + "/" + b.action() + " " + b.key() + "): " + error;
      CompletableFuture<TxStore.Outcome> branch = log.append(new TxWrite.BranchUpdate(tx.xid(), b.id(),
          BranchState.REGISTERED, BranchState.FAILED, n, error, clock.instant()));
      CompletableFuture<TxStore.Outcome> stuck = log.append(TxWrite.Transition.of(tx.xid(), tx.state(), TxState.STUCK,
          reason, null, null, new TxEvent(clock.instant(), "stuck", COORDINATOR, reason)));
      CompletableFuture.allOf(branch, stuck).whenCompleteAsync((v, e) -> {
        if (!failed(stuck.getNow(null), e)) {
          meters.stuck();
          settled();
        }
      }, timer);
    }

    /** Writes the final state; called with the drive's lock held, so writes and returns. */
    private void finish() {
      over = true;
      TxState end = commit ? TxState.COMMITTED : TxState.ROLLED_BACK;
      log.append(TxWrite.Transition.of(tx.xid(), tx.state(), end, null, null, clock.instant(),
          new TxEvent(clock.instant(), end.wire(), COORDINATOR, null))).whenCompleteAsync((outcome, e) -> {
            if (!failed(outcome, e)) {
              if (commit) {
                meters.committed();
              } else {
                meters.rolledBack();
              }
              settled();
            }
          }, timer);
    }

    /** True (and the drive given up, for the leader's next scan to start again) if a write failed. */
    private boolean failed(TxStore.Outcome outcome, Throwable e) {
      Throwable failure = e != null ? e : outcome == null ? null : outcome.failure();
      if (failure == null) {
        return false;
      }
      LOG.warn("phase two of {} paused, resumed by a later scan: {}", tx.xid(), failure.getMessage());
      abandon();
      return true;
    }

    private void settled() {
      driving.remove(tx.xid());
      onSettled.accept(tx.xid());
    }

    private void abandon() {
      synchronized (this) {
        over = true;
      }
      driving.remove(tx.xid());
    }
  }
}
