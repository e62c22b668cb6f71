package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded H2 store answered as committed is there after the process dies at once: a child JVM writes
 * transaction log records and halts (no shutdown hooks, no close, the journal's write behind to the tables not
 * run yet), and the store reopened here finds every one, as it was answered.
 */
class H2CrashIT {
  @TempDir
  Path dataDir;

  @Test
  void aLogWriteAnsweredAsDurable_survivesAHaltedProcess() throws Exception {
    runChild(WriteAndHalt.class);

    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      assertThat(store.transactions().get("shop", TxStoreContract.xid(1))).isPresent();
    }
  }

  @Test
  void everyDecisionOfManyTransactions_survivesAHaltedProcess_andIsWrittenToTheTablesAfter() throws Exception {
    runChild(DecideManyAndHalt.class);

    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      assertDecided(store.transactions());
    }
    // the reopen above wrote what the journal held to the tables: without the journal, the tables have it all too
    deleteRecursively(StoreSettings.h2File(dataDir).transactionJournal());
    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      assertDecided(store.transactions());
    }
  }

  private static void assertDecided(TxStore tx) {
    for (int n = 1; n <= DecideManyAndHalt.COUNT; n++) {
      String xid = TxStoreContract.xid(n);
      StoredTx s = tx.get("shop", xid).orElseThrow(() -> new AssertionError("lost: " + xid));
      TxState expected = n % 3 == 0 ? TxState.ACTIVE : n % 3 == 1 ? TxState.COMMITTED : TxState.ROLLING_BACK;
      assertThat(s.state()).as(xid).isEqualTo(expected);
      List<Branch> branches = tx.branches(xid);
      assertThat(branches).as(xid).hasSize(2);
      assertThat(branches.get(0).state()).as(xid).isEqualTo(n % 3 == 1 ? BranchState.COMMITTED : BranchState.REGISTERED);
      assertThat(branches.get(0).attempts()).as(xid).isEqualTo(n % 3 == 1 ? 1 : 0);
      assertThat(tx.events(xid)).as(xid).extracting(TxEvent::kind)
          .containsExactlyElementsOf(n % 3 == 0 ? List.of() : List.of(n % 3 == 1 ? "commit" : "rollback"));
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      for (Path f : files.toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    java.nio.file.Files.delete(dir);
  }

  private void runChild(Class<?> main) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), main.getName(), dataDir.toString())
        .inheritIO().start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).as("halted after the writes returned").isEqualTo(42);
  }

  /** The child: opens the store, writes one begin, and halts the JVM as soon as the write returned. */
  public static final class WriteAndHalt {
    public static void main(String[] args) {
      Store store = JdbcStore.open(StoreSettings.h2File(Path.of(args[0])));
      store.namespaces().insert(StoreContract.ns("shop"));
      store.transactions().write(List.of(new TxWrite.Begin(
          TxStoreContract.active("shop", TxStoreContract.xid(1), TxMode.TCC, TxStoreContract.T0))));
      Runtime.getRuntime().halt(42);
    }
  }

  /**
   * The child: begins {@link #COUNT} transactions with two branches each; a third are committed (the first branch
   * confirmed), a third are rolling back, a third stay active; then halts at once.
   */
  public static final class DecideManyAndHalt {
    static final int COUNT = 300;

    public static void main(String[] args) {
      Store store = JdbcStore.open(StoreSettings.h2File(Path.of(args[0])));
      store.namespaces().insert(StoreContract.ns("shop"));
      TxStore tx = store.transactions();
      for (int n = 1; n <= COUNT; n++) {
        String xid = TxStoreContract.xid(n);
        require(tx.write(List.of(new TxWrite.Begin(TxStoreContract.active("shop", xid, TxMode.TCC, TxStoreContract.T0)))));
        tx.register("shop", xid, TxStoreContract.branch("a"), 64);
        tx.register("shop", xid, TxStoreContract.branch("b"), 64);
        Instant at = TxStoreContract.T0.plusSeconds(2);
        if (n % 3 == 1) {
          require(tx.write(List.of(TxWrite.Transition.of(xid, TxState.ACTIVE, TxState.COMMITTING, null, at, null,
              new TxEvent(at, "commit", "k", null)))));
          require(tx.write(List.of(new TxWrite.BranchUpdate(xid, 1, BranchState.REGISTERED, BranchState.COMMITTED, 1,
              null, at))));
          require(tx.write(List.of(TxWrite.Transition.of(xid, TxState.COMMITTING, TxState.COMMITTED, null, null, at,
              null))));
        } else if (n % 3 == 2) {
          require(tx.write(List.of(TxWrite.Transition.of(xid, TxState.ACTIVE, TxState.ROLLING_BACK, "asked", at, null,
              new TxEvent(at, "rollback", "k", "asked")))));
        }
      }
      Runtime.getRuntime().halt(42);
    }

    private static void require(List<TxStore.Outcome> outcomes) {
      if (!outcomes.get(0).applied()) {
        throw new IllegalStateException("not applied: " + outcomes.get(0));
      }
    }
  }
}
