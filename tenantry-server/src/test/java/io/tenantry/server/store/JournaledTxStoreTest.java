package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the journaled store does (the rest is {@link TxStoreContract}'s): finished transactions leave memory
 * once the tables have them, and reads merge memory with rows the tables hold from before.
 */
class JournaledTxStoreTest {
  @TempDir
  Path dataDir;
  private JdbcStore store;
  private JournaledTxStore tx;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreSettings.h2File(dataDir));
    if (store.namespaces().get("shop").isEmpty()) {
      store.namespaces().insert(StoreContract.ns("shop"));
    }
    tx = (JournaledTxStore) store.transactions();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void finishedTransactions_leaveMemory_onceWritten_andAreStillReadFromTheTables() {
    int count = 500;
    for (int n = 1; n <= count; n++) {
      begin(n);
      assertThat(tx.write(List.of(TxWrite.Transition.of(TxStoreContract.xid(n), TxState.ACTIVE, TxState.COMMITTED, null,
          TxStoreContract.T0, TxStoreContract.T0, new TxEvent(TxStoreContract.T0, "commit", "k", null)))))
          .containsExactly(TxStore.Outcome.APPLIED);
    }
    begin(count + 1); // unfinished: stays

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tx.inMemory() == 1);

    assertThat(tx.get("shop", TxStoreContract.xid(7)).orElseThrow().state()).isEqualTo(TxState.COMMITTED);
    assertThat(tx.events(TxStoreContract.xid(7))).extracting(TxEvent::kind).containsExactly("commit");
    assertThat(tx.list("shop", null, TxState.COMMITTED, null, 1000)).hasSize(count);
    assertThat(tx.list("shop", null, TxState.ACTIVE, null, 1000)).extracting(StoredTx::xid)
        .containsExactly(TxStoreContract.xid(count + 1));
  }

  @Test
  void reads_preferMemory_overTheTablesOlderRow() {
    begin(1);
    begin(2);
    begin(3);
    tx.writeBehind(); // the tables have all three, active
    assertThat(tx.write(List.of(TxWrite.Transition.of(TxStoreContract.xid(2), TxState.ACTIVE, TxState.COMMITTING, null,
        TxStoreContract.T0, null, null)))).containsExactly(TxStore.Outcome.APPLIED);

    for (int pass = 0; pass < 2; pass++) { // before and after the tables caught up
      assertThat(tx.list("shop", null, TxState.ACTIVE, null, 10)).extracting(StoredTx::xid)
          .containsExactly(TxStoreContract.xid(3), TxStoreContract.xid(1));
      assertThat(tx.list("shop", null, null, null, 2)).extracting(StoredTx::xid)
          .containsExactly(TxStoreContract.xid(3), TxStoreContract.xid(2));
      assertThat(tx.list("shop", null, null, TxStoreContract.xid(3), 1)).extracting(StoredTx::xid) // the next page
          .containsExactly(TxStoreContract.xid(2));
      assertThat(tx.inPhaseTwo(10)).extracting(StoredTx::xid).containsExactly(TxStoreContract.xid(2));
      tx.writeBehind();
    }
  }

  @Test
  void aDeletedNamespace_takesItsTransactionsOutOfMemoryToo_andABeginInItFails() {
    begin(1);

    store.namespaces().delete("shop");

    assertThat(tx.get(null, TxStoreContract.xid(1))).isEmpty();
    assertThat(tx.inMemory()).isZero();
    List<TxStore.Outcome> outcomes = tx.write(List.of(new TxWrite.Begin(
        TxStoreContract.active("shop", TxStoreContract.xid(2), TxMode.TCC, TxStoreContract.T0))));
    assertThat(outcomes.get(0).failure()).isInstanceOf(ParentGoneException.class).hasMessageContaining("shop");
  }

  @Test
  void eventsOfOlderRows_comeFirst_thenThoseWrittenWithTheTransactionsRow() throws Exception {
    begin(1);
    store.close();
    // an event row as a store without the journal wrote them
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(StoreSettings.h2FileUrl(dataDir), "sa", "");
        java.sql.PreparedStatement ps = c.prepareStatement(
            "INSERT INTO tx_event (xid, at, kind, actor, detail) VALUES (?, ?, 'retry', 'operator', 'by hand')")) {
      ps.setString(1, TxStoreContract.xid(1));
      ps.setObject(2, java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"));
      ps.executeUpdate();
    }
    open();

    assertThat(tx.write(List.of(TxWrite.Transition.of(TxStoreContract.xid(1), TxState.ACTIVE, TxState.ROLLED_BACK, "asked",
        TxStoreContract.T0, TxStoreContract.T0, new TxEvent(TxStoreContract.T0, "rollback", "k", "asked")))))
        .containsExactly(TxStore.Outcome.APPLIED);
    assertThat(tx.events(TxStoreContract.xid(1))).extracting(TxEvent::kind).containsExactly("retry", "rollback");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tx.inMemory() == 0);
    assertThat(tx.events(TxStoreContract.xid(1))).extracting(TxEvent::kind).containsExactly("retry", "rollback");
  }

  private void begin(int n) {
    assertThat(tx.write(List.of(new TxWrite.Begin(
        TxStoreContract.active("shop", TxStoreContract.xid(n), TxMode.TCC, TxStoreContract.T0.plusMillis(n))))))
        .containsExactly(TxStore.Outcome.APPLIED);
  }
}
