package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import io.tenantry.api.tx.TxMode;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.internal.tx.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract checks of the transaction API that need no coordinator: misuse is refused before anything is sent. */
class TransactionsTest {
  static final String XID = "0190a1b2c3d4" + "00000000000000000042";
  private final TestDatabases.Db db = TestDatabases.h2(false);
  private TenantryClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    db.close();
  }

  /** A started client whose control plane is not there: nothing here may need it. */
  private Transactions tx(TenantryClient.Builder b) {
    client = b.build().start();
    return client.transactions();
  }

  private static TenantryClient.Builder builder() {
    return TenantryClient.newBuilder().servers("http://127.0.0.1:9").namespace("shop").apiKey("k")
        .snapshotDirectory(null).shutdownHook(false).statsInterval(Duration.ZERO).traceExport("none")
        .firstLookupWait(Duration.ZERO);
  }

  private static final BranchFunction<String> NOOP = (ctx, c, a) -> {};

  @Test
  void declaring_needsATransactionLogAndAService_andUniqueNames() {
    assertThatThrownBy(() -> tx(builder().serviceName("payment")).tcc("debit", String.class, NOOP, NOOP, NOOP))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transactionLog");
    client.close();
    assertThatThrownBy(() -> tx(builder().transactionLog(db.dataSource())).sagaStep("credit", String.class, NOOP,
        NOOP)).isInstanceOf(IllegalStateException.class).hasMessageContaining("serviceName");
    client.close();
    Transactions t = tx(builder().serviceName("payment").transactionLog(db.dataSource()));
    assertThat(t.tcc("debit", String.class, NOOP, NOOP, NOOP).name()).isEqualTo("debit");
    assertThatThrownBy(() -> t.sagaStep("debit", String.class, NOOP, NOOP))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already declared");
    assertThatThrownBy(() -> t.tcc("Not A Name", String.class, NOOP, NOOP, NOOP))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void tryOutsideATransaction_isRefused() {
    TccAction<String> debit = tx(builder().serviceName("payment").transactionLog(db.dataSource()))
        .tcc("debit", String.class, NOOP, NOOP, NOOP);
    assertThatThrownBy(() -> debit.tryBranch("order-1", "x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no global transaction is current");
  }

  @Test
  void oversizedArgsOrABadKey_areRefusedBeforeRegistering() {
    Transactions t = tx(builder().serviceName("payment").transactionLog(db.dataSource()));
    TccAction<String> debit = t.tcc("debit", String.class, NOOP, NOOP, NOOP);
    try (TenantContext.Scope s = TenantContext.enter("acme"); Transactions.Scope g = t.join(XID)) {
      assertThatThrownBy(() -> debit.tryBranch("order-1", "x".repeat(9000)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 8192");
      assertThatThrownBy(() -> debit.tryBranch("bad key!", "x")).isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void inTransaction_needsATenant_andNoTransactionAlreadyCurrent() {
    Transactions t = tx(builder());
    assertThatThrownBy(() -> t.inTransaction(TxOptions.tcc("t"), g -> 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no tenant");
    try (TenantContext.Scope s = TenantContext.enter("acme"); Transactions.Scope g = t.join(XID)) {
      assertThatThrownBy(() -> t.inTransaction(TxOptions.tcc("t"), x -> 1))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already current");
    }
    assertThat(t.current()).isNull();
  }

  @Test
  void anUnreachableCoordinator_failsBegin_andNoBodyRuns() {
    Transactions t = tx(builder());
    java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> t.inTransaction(TxOptions.tcc("t"), g -> ran.getAndSet(true)))
          .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("coordinator unreachable");
    }
    assertThat(ran).isFalse();
    assertThat(t.current()).isNull();
  }

  @Test
  void join_validatesTheId_needsATenant_andScopesNest() {
    Transactions t = tx(builder());
    assertThatThrownBy(() -> t.join(XID)).isInstanceOf(IllegalStateException.class);
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      assertThatThrownBy(() -> t.join("XYZ")).isInstanceOf(ValidationException.class);
      GlobalTx outer = new GlobalTx(XID, "acme", TxMode.SAGA, "refund");
      t.callIn(outer, () -> {
        try (Transactions.Scope inner = t.join("0190a1b2c3d4" + "00000000000000000043")) {
          assertThat(t.current().xid()).endsWith("43");
        }
        assertThat(t.current()).isEqualTo(outer);
        return null;
      });
      assertThat(t.current()).isNull();
    }
  }

  @Test
  void options_validateAndCopy() {
    TxOptions o = TxOptions.tcc("place-order");
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.waitForPhaseTwo()).isZero();
    TxOptions longer = o.timeout(Duration.ofSeconds(30)).waitForPhaseTwo(Duration.ofSeconds(2));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(longer.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(TxOptions.saga("refund").mode()).isEqualTo(TxMode.SAGA);
    assertThatThrownBy(() -> o.timeout(Duration.ofMillis(10))).hasMessageContaining("expected: 1s to 1h");
    assertThatThrownBy(() -> o.waitForPhaseTwo(Duration.ofSeconds(31))).hasMessageContaining("0 to 30s");
    assertThatThrownBy(() -> TxOptions.tcc("Bad Name")).isInstanceOf(ValidationException.class);
  }

  @Test
  void saga_withoutSteps_isRefused() {
    Transactions t = tx(builder());
    assertThatThrownBy(() -> t.saga("refund").run()).hasMessageContaining("no steps");
  }
}
