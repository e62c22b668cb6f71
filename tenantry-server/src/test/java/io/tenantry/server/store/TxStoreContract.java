package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import io.tenantry.server.trace.TraceParent;
import io.tenantry.server.store.BranchRegistration.Outcome;
import io.tenantry.server.store.SigningKeyStore.StoredSigningKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TxStore} and {@link SigningKeyStore}, run against every implementation (H2 and
 * PostgreSQL): transactions round-trip, branch registration under the transaction's lock, conditional and
 * batched writes, the scans of recovery and timeouts, the purge.
 */
abstract class TxStoreContract {
  static final Instant T0 = StoreContract.T0;
  Store store;

  abstract Store openFresh();

  abstract Store reopen();

  void cleanUp() {}

  @BeforeEach
  void open() {
    store = openFresh();
    store.namespaces().insert(StoreContract.ns("shop"));
    store.namespaces().insert(StoreContract.ns("other"));
  }

  @AfterEach
  void close() {
    store.close();
    cleanUp();
  }

  static String xid(int n) {
    return String.format("%012x", T0.toEpochMilli() + n) + String.format("%020x", n);
  }

  static StoredTx active(String ns, String xid, TxMode mode, Instant begun) {
    return new StoredTx(new GlobalTransaction(xid, ns, "acme", mode, "place-order", TxState.ACTIVE, null, "60s", begun,
        begun.plusSeconds(60), null, null, null, null), null, 0, "key-1", null);
  }

  StoredTx begin(String ns, int n) {
    StoredTx tx = active(ns, xid(n), TxMode.TCC, T0.plusMillis(n));
    assertThat(store.transactions().write(List.of(new TxWrite.Begin(tx)))).containsExactly(TxStore.Outcome.APPLIED);
    return tx;
  }

  static TxStore.NewBranch branch(String key) {
    return new TxStore.NewBranch("acme", "payment", "debit", key, "payment-1", "{\"amount\":5}", T0.plusSeconds(1));
  }

  @Test
  void begin_roundTripsEveryField_andSurvivesReopen() {
    StoredTx tx = begin("shop", 1);

    store.close();
    store = reopen();

    assertThat(store.transactions().get("shop", tx.xid())).contains(tx);
    assertThat(store.transactions().get(null, tx.xid())).contains(tx);
    assertThat(store.transactions().get("other", tx.xid())).as("another namespace's").isEmpty();
  }

  @Test
  void begin_keepsTheTraceContextItArrivedWith_andItsScansToo() {
    TraceParent trace = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=a b,x=1");
    StoredTx s = active("shop", xid(7), TxMode.TCC, T0.plusMillis(7));
    StoredTx traced = new StoredTx(s.tx(), null, 0, "key-1", trace);
    assertThat(store.transactions().write(List.of(new TxWrite.Begin(traced)))).containsExactly(TxStore.Outcome.APPLIED);
    StoredTx untraced = begin("shop", 8);

    store.close();
    store = reopen();

    assertThat(store.transactions().get("shop", traced.xid())).get().extracting(StoredTx::trace).isEqualTo(trace);
    assertThat(store.transactions().get("shop", untraced.xid())).get().extracting(StoredTx::trace).isNull();
    assertThat(store.transactions().expired(T0.plusSeconds(3600), 10)).filteredOn(t -> t.xid().equals(traced.xid()))
        .extracting(StoredTx::trace).containsExactly(trace);
  }

  @Test
  void register_allocatesIdsInOrder_isIdempotentOnServiceActionKey_andKeepsData() {
    StoredTx tx = begin("shop", 1);

    BranchRegistration a = store.transactions().register("shop", tx.xid(), branch("o-1"), 64);
    BranchRegistration b = store.transactions().register("shop", tx.xid(), branch("o-2"), 64);
    BranchRegistration again = store.transactions().register("shop", tx.xid(), branch("o-1"), 64);

    assertThat(a.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(a.branch().id()).isEqualTo(1);
    assertThat(b.branch().id()).isEqualTo(2);
    assertThat(again.outcome()).isEqualTo(Outcome.EXISTING);
    assertThat(again.branch()).isEqualTo(a.branch());
    assertThat(store.transactions().branches(tx.xid())).extracting(Branch::key).containsExactly("o-1", "o-2");
    assertThat(store.transactions().branches(tx.xid()).get(0).data().path("amount").asInt()).isEqualTo(5);
    assertThat(store.transactions().get("shop", tx.xid()).orElseThrow().branchCount()).isEqualTo(2);
  }

  @Test
  void register_refusesUnknownWrongTenantTooManyExpiredAndNotActive() {
    StoredTx tx = begin("shop", 1);
    TxStore s = store.transactions();

    assertThat(s.register("other", tx.xid(), branch("k"), 64).outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(s.register("shop", xid(99), branch("k"), 64).outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(s.register("shop", tx.xid(), new TxStore.NewBranch("globex", "payment", "debit", "k", null, null,
        T0.plusSeconds(1)), 64).outcome()).isEqualTo(Outcome.WRONG_TENANT);
    assertThat(s.register("shop", tx.xid(), new TxStore.NewBranch("acme", "payment", "debit", "k", null, null,
        T0.plusSeconds(61)), 64).outcome()).isEqualTo(Outcome.EXPIRED);
    s.register("shop", tx.xid(), branch("k1"), 1);
    assertThat(s.register("shop", tx.xid(), branch("k2"), 1).outcome()).isEqualTo(Outcome.TOO_MANY);

    s.write(List.of(TxWrite.Transition.of(tx.xid(), TxState.ACTIVE, TxState.ROLLING_BACK, "asked", T0, null, null)));
    BranchRegistration late = s.register("shop", tx.xid(), branch("k3"), 64);
    assertThat(late.outcome()).isEqualTo(Outcome.NOT_ACTIVE);
    assertThat(late.tx().state()).isEqualTo(TxState.ROLLING_BACK);
  }

  @Test
  void transition_isConditional_onStateBranchCountAndDeadline() {
    StoredTx tx = begin("shop", 1);
    TxStore s = store.transactions();
    TxEvent commit = new TxEvent(T0.plusSeconds(2), "commit", "key-1", null);

    TxWrite.Transition wrongCount = new TxWrite.Transition(tx.xid(), TxState.ACTIVE, TxState.COMMITTED, 1, T0, TxState.COMMITTING,
        null, T0, T0, null, null, false, commit);
    TxWrite.Transition pastDeadline = new TxWrite.Transition(tx.xid(), TxState.ACTIVE, TxState.COMMITTED, 0,
        T0.plusSeconds(61), TxState.COMMITTING, null, T0, T0, null, null, false, commit);
    TxWrite.Transition ok = new TxWrite.Transition(tx.xid(), TxState.ACTIVE, TxState.COMMITTED, 0, T0.plusSeconds(2),
        TxState.COMMITTING, null, T0.plusSeconds(2), T0.plusSeconds(2), null, null, false, commit);
    TxWrite.Transition lateRollback = TxWrite.Transition.of(tx.xid(), TxState.ACTIVE, TxState.ROLLING_BACK, "timeout",
        T0, null, new TxEvent(T0.plusSeconds(3), "timeout", "coordinator", "timeout"));

    assertThat(s.write(List.of(wrongCount, pastDeadline, ok, lateRollback))).extracting(TxStore.Outcome::applied)
        .containsExactly(false, false, true, false);
    StoredTx after = s.get("shop", tx.xid()).orElseThrow();
    assertThat(after.state()).isEqualTo(TxState.COMMITTED);
    assertThat(after.decision()).isEqualTo(TxState.COMMITTING);
    assertThat(after.tx().endedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(s.events(tx.xid())).as("only the applied write's event").containsExactly(commit);
  }

  @Test
  void transition_movesBranches_andResetsAttempts() {
    StoredTx tx = begin("shop", 1);
    TxStore s = store.transactions();
    s.register("shop", tx.xid(), branch("a"), 64);
    s.register("shop", tx.xid(), branch("b"), 64);
    s.write(List.of(TxWrite.Transition.of(tx.xid(), TxState.ACTIVE, TxState.COMMITTING, null, T0, null, null),
        new TxWrite.BranchUpdate(tx.xid(), 1, BranchState.REGISTERED, BranchState.FAILED, 3, "refused", T0.plusSeconds(5)),
        new TxWrite.BranchUpdate(tx.xid(), 2, BranchState.COMMITTED, BranchState.COMMITTED, 1, null, T0.plusSeconds(5))));

    assertThat(s.branches(tx.xid())).extracting(Branch::state, Branch::attempts, Branch::lastError)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BranchState.FAILED, 3, "refused"),
            org.assertj.core.groups.Tuple.tuple(BranchState.REGISTERED, 0, null));

    s.write(List.of(TxWrite.Transition.of(tx.xid(), TxState.COMMITTING, TxState.STUCK, "refused", null, null, null)));
    s.write(List.of(new TxWrite.Transition(tx.xid(), TxState.STUCK, TxState.COMMITTING, -1, null, null, null, null, null,
        BranchState.FAILED, BranchState.REGISTERED, true, new TxEvent(T0.plusSeconds(9), "retry", "op", null))));

    assertThat(s.branches(tx.xid())).extracting(Branch::state, Branch::attempts, Branch::lastError)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(BranchState.REGISTERED, 0, null));
    assertThat(s.get("shop", tx.xid()).orElseThrow().tx().reason()).isEqualTo("refused");
  }

  @Test
  void write_aWriteThatFailsAlone_failsAlone() {
    StoredTx good = active("shop", xid(1), TxMode.TCC, T0);
    StoredTx orphan = active("gone", xid(2), TxMode.TCC, T0);

    List<TxStore.Outcome> outcomes = store.transactions().write(List.of(new TxWrite.Begin(good), new TxWrite.Begin(orphan)));

    assertThat(outcomes.get(0).applied()).isTrue();
    assertThat(outcomes.get(1).applied()).isFalse();
    assertThat(outcomes.get(1).failure()).isInstanceOf(ParentGoneException.class);
    assertThat(store.transactions().get(null, good.xid())).isPresent();
  }

  @Test
  void list_isNewestFirst_filtered_andLimited() {
    begin("shop", 1);
    begin("shop", 2);
    begin("shop", 3);
    begin("other", 4);
    store.transactions().write(List.of(TxWrite.Transition.of(xid(2), TxState.ACTIVE, TxState.ROLLED_BACK, "asked", T0, T0,
        null)));

    assertThat(store.transactions().list("shop", null, null, null, 10)).extracting(StoredTx::xid).containsExactly(xid(3), xid(2), xid(1));
    assertThat(store.transactions().list("shop", "acme", TxState.ACTIVE, null, 10)).extracting(StoredTx::xid).containsExactly(xid(3), xid(1));
    assertThat(store.transactions().list("shop", "globex", null, null, 10)).isEmpty();
    assertThat(store.transactions().list("shop", null, null, null, 1)).extracting(StoredTx::xid).containsExactly(xid(3));
  }

  @Test
  void list_pagesOnFromTheLastXidOfAPage() {
    for (int n = 1; n <= 5; n++) {
      begin("shop", n);
    }
    begin("other", 6);

    assertThat(store.transactions().list("shop", null, null, xid(4), 2)).extracting(StoredTx::xid)
        .containsExactly(xid(3), xid(2));
    assertThat(store.transactions().list("shop", null, null, xid(2), 2)).extracting(StoredTx::xid)
        .containsExactly(xid(1));
    assertThat(store.transactions().list("shop", null, null, xid(1), 2)).isEmpty();
    assertThat(store.transactions().list("shop", "acme", TxState.ACTIVE, xid(6), 10)).hasSize(5);
  }

  @Test
  void scans_findPhaseTwoAndExpired_andPurgeTakesOnlyOldFinishedOnes() {
    begin("shop", 1);
    begin("shop", 2);
    begin("shop", 3);
    store.transactions().register("shop", xid(3), branch("a"), 64);
    store.transactions().write(List.of(
        TxWrite.Transition.of(xid(1), TxState.ACTIVE, TxState.COMMITTING, null, T0, null, null),
        TxWrite.Transition.of(xid(3), TxState.ACTIVE, TxState.COMMITTED, null, T0, T0.plusSeconds(10),
            new TxEvent(T0, "commit", "k", null))));

    assertThat(store.transactions().inPhaseTwo(10)).extracting(StoredTx::xid).containsExactly(xid(1));
    assertThat(store.transactions().expired(T0.plusSeconds(30), 10)).isEmpty();
    assertThat(store.transactions().expired(T0.plusSeconds(61), 10)).extracting(StoredTx::xid).containsExactly(xid(2));

    assertThat(store.transactions().purge(T0.plusSeconds(5))).isZero();
    assertThat(store.transactions().purge(T0.plusSeconds(11))).isEqualTo(1);
    assertThat(store.transactions().get(null, xid(3))).isEmpty();
    assertThat(store.transactions().branches(xid(3))).isEmpty();
    assertThat(store.transactions().events(xid(3))).isEmpty();
    assertThat(store.transactions().get(null, xid(1))).isPresent();
  }

  @Test
  void deletingANamespace_takesItsTransactionsAlong() {
    begin("other", 1);
    store.transactions().register("other", xid(1), branch("a"), 64);

    store.namespaces().delete("other");

    assertThat(store.transactions().get(null, xid(1))).isEmpty();
    assertThat(store.transactions().branches(xid(1))).isEmpty();
  }

  @Test
  void register_concurrentWithTheDecision_isEitherSeenByItOrRefused() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 20; round++) {
        StoredTx tx = begin("shop", 100 + round);
        List<Future<BranchRegistration>> regs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String key = "k" + i;
          regs.add(pool.submit(() -> store.transactions().register("shop", tx.xid(), branch(key), 64)));
        }
        Future<List<TxStore.Outcome>> decide = pool.submit(() -> store.transactions().write(List.of(
            TxWrite.Transition.of(tx.xid(), TxState.ACTIVE, TxState.COMMITTING, null, T0, null, null))));
        assertThat(decide.get().get(0).applied()).isTrue();
        long created = 0;
        for (Future<BranchRegistration> r : regs) {
          created += r.get().outcome() == Outcome.CREATED ? 1 : 0;
        }
        // what registered is exactly what a phase two read after the decision finds
        assertThat(store.transactions().branches(tx.xid())).hasSize((int) created);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void signingKey_theOldestIsCurrent() {
    assertThat(store.signingKeys().current()).isEmpty();
    StoredSigningKey first = new StoredSigningKey("tx-a", "Ed25519", "cHJpdg==", "cHVi", T0);
    StoredSigningKey later = new StoredSigningKey("tx-b", "Ed25519", "cHJpdjI=", "cHViMg==", T0.plusSeconds(1));

    assertThat(store.signingKeys().insert(later)).isTrue();
    assertThat(store.signingKeys().insert(first)).isTrue();
    assertThat(store.signingKeys().insert(first)).as("kid taken").isFalse();

    store.close();
    store = reopen();
    assertThat(store.signingKeys().current()).contains(first);
  }
}
