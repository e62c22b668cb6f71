package io.tenantry.client.internal.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.client.internal.tx.FenceLog.Phase;
import io.tenantry.client.internal.tx.FenceLog.PhaseOutcome;
import io.tenantry.client.internal.tx.FenceLog.TryOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The fence log's contract, every TCC hazard, run against H2 (plain and in PostgreSQL mode) and a real PostgreSQL
 * database. Each branch function writes a row of its own on the fence's connection, so the tests also see that
 * the function's work and the fence row commit (or roll back) together.
 */
class FenceLogIT {
  static final String XID = "0190a1b2c3d4" + "00000000000000000001";

  abstract static class Contract {
    private TestDatabases.Db db;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T12:00:00Z"));
    FenceLog fence;

    abstract TestDatabases.Db open();

    @BeforeEach
    void setUp() {
      db = open();
      TestDatabases.execute(db.dataSource(), "CREATE TABLE work_log (xid VARCHAR(32), branch INTEGER, what VARCHAR(16))");
      Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
      fence = new FenceLog(db.dataSource(), clock);
    }

    @AfterEach
    void tearDown() {
      db.close();
    }

    /** A branch function that records {@code what} it did for the branch, on the fence's connection. */
    static FenceLog.Work work(int branch, String what) {
      return c -> {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO work_log VALUES (?, ?, ?)")) {
          s.setString(1, XID);
          s.setInt(2, branch);
          s.setString(3, what);
          s.executeUpdate();
        }
      };
    }

    static FenceLog.Work failing() {
      return c -> {
        throw new IllegalStateException("business rule says no");
      };
    }

    List<String> done(int branch) throws Exception {
      List<String> out = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement s = c.prepareStatement("SELECT what FROM work_log WHERE branch = ? ORDER BY what")) {
        s.setInt(1, branch);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.add(r.getString(1));
          }
        }
      }
      return out;
    }

    TryOutcome tryIt(int branch) throws Exception {
      return fence.tryBranch(XID, branch, "debit", "acme", work(branch, "try"));
    }

    Phase confirm(int branch) throws Exception {
      return fence.confirm(XID, branch, work(branch, "confirm"));
    }

    Phase cancel(int branch) throws Exception {
      return fence.rollback(XID, branch, "debit", "acme", work(branch, "cancel"));
    }

    @Test
    void try_runsOnce_aRetryReplays() throws Exception {
      assertThat(tryIt(1)).isEqualTo(TryOutcome.RAN);
      assertThat(tryIt(1)).isEqualTo(TryOutcome.REPLAYED);
      assertThat(done(1)).containsExactly("try");
      assertThat(fence.status(XID, 1)).isEqualTo("tried");
    }

    @Test
    void try_thatThrows_leavesNoRow_andItsCancelIsAnEmptyRollback() throws Exception {
      assertThatThrownBy(() -> fence.tryBranch(XID, 1, "debit", "acme", c -> {
        work(1, "try").run(c);
        throw new IllegalStateException("insufficient funds");
      })).hasMessage("insufficient funds");
      assertThat(done(1)).isEmpty(); // the work before the throw rolled back with the fence row
      assertThat(fence.status(XID, 1)).isNull();
      assertThat(cancel(1).outcome()).isEqualTo(PhaseOutcome.EMPTY_ROLLBACK);
    }

    @Test
    void confirmTwice_runsConfirmOnce() throws Exception {
      tryIt(1);
      assertThat(confirm(1).outcome()).isEqualTo(PhaseOutcome.DONE);
      assertThat(confirm(1).outcome()).isEqualTo(PhaseOutcome.ALREADY);
      assertThat(done(1)).containsExactly("confirm", "try");
      assertThat(fence.status(XID, 1)).isEqualTo("committed");
    }

    @Test
    void cancelTwice_runsCancelOnce() throws Exception {
      tryIt(1);
      assertThat(cancel(1).outcome()).isEqualTo(PhaseOutcome.DONE);
      assertThat(cancel(1).outcome()).isEqualTo(PhaseOutcome.ALREADY);
      assertThat(done(1)).containsExactly("cancel", "try");
      assertThat(fence.status(XID, 1)).isEqualTo("rolled-back");
    }

    @Test
    void cancelBeforeTry_isAnEmptyRollback_andTheLateTryIsRefused() throws Exception {
      assertThat(cancel(1).outcome()).isEqualTo(PhaseOutcome.EMPTY_ROLLBACK);
      assertThat(fence.status(XID, 1)).isEqualTo("suspended");
      assertThat(cancel(1).outcome()).isEqualTo(PhaseOutcome.ALREADY);
      assertThat(tryIt(1)).isEqualTo(TryOutcome.REFUSED);
      assertThat(done(1)).isEmpty();
    }

    @Test
    void tryAfterItsCancel_isRefused() throws Exception {
      tryIt(1);
      cancel(1);
      assertThat(tryIt(1)).isEqualTo(TryOutcome.REFUSED);
      assertThat(done(1)).containsExactly("cancel", "try");
    }

    @Test
    void confirmAfterCancel_isAConflict() throws Exception {
      tryIt(1);
      cancel(1);
      assertThat(confirm(1)).isEqualTo(new Phase(PhaseOutcome.CONFLICT, "rolled-back"));
      cancel(2); // empty rollback
      assertThat(confirm(2)).isEqualTo(new Phase(PhaseOutcome.CONFLICT, "suspended"));
      assertThat(done(1)).containsExactly("cancel", "try");
    }

    @Test
    void cancelAfterConfirm_isAConflict() throws Exception {
      tryIt(1);
      confirm(1);
      assertThat(cancel(1)).isEqualTo(new Phase(PhaseOutcome.CONFLICT, "committed"));
      assertThat(done(1)).containsExactly("confirm", "try");
    }

    @Test
    void confirmWithoutTry_isAConflict_andWritesNothing() throws Exception {
      assertThat(confirm(1)).isEqualTo(new Phase(PhaseOutcome.CONFLICT, null));
      assertThat(fence.status(XID, 1)).isNull();
    }

    @Test
    void confirmThatThrows_leavesTheBranchTried_soTheNextDeliveryRunsIt() throws Exception {
      tryIt(1);
      assertThatThrownBy(() -> fence.confirm(XID, 1, failing())).hasMessage("business rule says no");
      assertThat(fence.status(XID, 1)).isEqualTo("tried");
      assertThat(confirm(1).outcome()).isEqualTo(PhaseOutcome.DONE);
    }

    @Test
    void concurrentConfirmAndCancel_ofOneBranch_runOneFunctionOnly() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int branch = 1; branch <= 20; branch++) {
          int n = branch;
          tryIt(n);
          List<Phase> results = race(pool, () -> confirm(n), () -> cancel(n));
          assertThat(results).extracting(Phase::outcome).as("branch %d", branch)
              .containsExactlyInAnyOrder(PhaseOutcome.DONE, PhaseOutcome.CONFLICT);
          assertThat(done(branch)).hasSize(2).contains("try").containsAnyOf("confirm", "cancel");
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void concurrentDuplicateConfirms_runConfirmOnce() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int branch = 1; branch <= 20; branch++) {
          int n = branch;
          tryIt(n);
          List<Phase> results = race(pool, () -> confirm(n), () -> confirm(n));
          assertThat(results).extracting(Phase::outcome)
              .containsExactlyInAnyOrder(PhaseOutcome.DONE, PhaseOutcome.ALREADY);
          assertThat(done(branch)).containsExactly("confirm", "try");
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void concurrentDuplicateTries_runTheTryOnce() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int branch = 1; branch <= 20; branch++) {
          int n = branch;
          List<TryOutcome> results = race(pool, () -> tryIt(n), () -> tryIt(n));
          assertThat(results).containsExactlyInAnyOrder(TryOutcome.RAN, TryOutcome.REPLAYED);
          assertThat(done(n)).containsExactly("try");
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void concurrentTryAndCancel_endConsistently() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int branch = 1; branch <= 20; branch++) {
          int n = branch;
          List<Object> results = race(pool, () -> tryIt(n), () -> cancel(n));
          TryOutcome tried = (TryOutcome) results.get(0);
          Phase cancelled = (Phase) results.get(1);
          if (tried == TryOutcome.RAN) { // the try first: the cancel undid it
            assertThat(cancelled.outcome()).isEqualTo(PhaseOutcome.DONE);
            assertThat(done(n)).containsExactly("cancel", "try");
          } else { // the cancel first: an empty rollback, the try refused
            assertThat(tried).isEqualTo(TryOutcome.REFUSED);
            assertThat(cancelled.outcome()).isEqualTo(PhaseOutcome.EMPTY_ROLLBACK);
            assertThat(done(n)).isEmpty();
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void purge_dropsOldFinalRowsOnly() throws Exception {
      tryIt(1);
      confirm(1);
      cancel(2);
      tryIt(3);
      now.set(now.get().plus(Duration.ofDays(8)));
      tryIt(4);
      cancel(4);
      assertThat(fence.purge(now.get().minus(Duration.ofDays(7)))).isEqualTo(2);
      assertThat(fence.status(XID, 1)).isNull();
      assertThat(fence.status(XID, 2)).isNull();
      assertThat(fence.status(XID, 3)).isEqualTo("tried"); // undecided: kept
      assertThat(fence.status(XID, 4)).isEqualTo("rolled-back"); // recent: kept
    }

    @Test
    void table_isCreatedOnce_byAnyNumberOfLogs() throws Exception {
      fence.ensureTable();
      FenceLog other = new FenceLog(db.dataSource(), Clock.systemUTC());
      other.ensureTable();
      tryIt(1);
      assertThat(other.status(XID, 1)).isEqualTo("tried");
    }

    /** Runs both at once (released together) and returns their results in order. */
    @SuppressWarnings("unchecked")
    static <T> List<T> race(ExecutorService pool, Callable<? extends T> a, Callable<? extends T> b) throws Exception {
      CountDownLatch go = new CountDownLatch(1);
      Future<? extends T> fa = pool.submit(() -> {
        go.await();
        return a.call();
      });
      Future<? extends T> fb = pool.submit(() -> {
        go.await();
        return b.call();
      });
      go.countDown();
      return List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));
    }
  }

  @Nested
  class H2 extends Contract {
    @Override
    TestDatabases.Db open() {
      return TestDatabases.h2(false);
    }
  }

  @Nested
  class H2PostgresMode extends Contract {
    @Override
    TestDatabases.Db open() {
      return TestDatabases.h2(true);
    }
  }

  @Nested
  class Postgres extends Contract {
    @Override
    TestDatabases.Db open() {
      return TestDatabases.postgres();
    }
  }
}
