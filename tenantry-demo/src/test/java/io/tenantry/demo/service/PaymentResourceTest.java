package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.client.tx.Transactions;
import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.DatabaseSettings;
import io.tenantry.demo.store.Wallets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The payment service's debit branch around its try: the injected faults (a refusal before anything is
 * tried, a halt only after a try that ran), retries, conflicts and refusals. The SDK's fence is stood in for
 * by {@link LocalTransactions}; the real one is exercised by the chaos test.
 */
class PaymentResourceTest {
  private final Counters counters = new Counters();
  private final Database db = Database.open("test-payment",
      new DatabaseSettings("jdbc:h2:mem:payment-" + UUID.randomUUID(), "sa", "", 2), Wallets.SCHEMA);
  private final LocalTransactions transactions = new LocalTransactions(db);
  private final AtomicInteger halts = new AtomicInteger();

  @AfterEach
  void close() {
    db.close();
  }

  private PaymentResource with(FaultSwitch faults) {
    return new PaymentResource(db, transactions, faults, counters, "payment-2", halts::incrementAndGet);
  }

  private PaymentResource withRandom(double draw) {
    return with(new FaultSwitch(0.3, () -> draw));
  }

  @Test
  void injectedFailure_isA503_andTriesNothing() throws Exception {
    try (Transactions.Scope ignored = transactions.enter("globex")) {
      assertThatThrownBy(() -> withRandom(0.29).pay("globex", new NewPayment("o-1", "u-1", 100)))
          .isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.type()).isEqualTo("injected-failure");
          });
    }
    assertThat(debit("globex", "o-1")).isEmpty();
    assertThat(counters.get("globex", "injectedFailures")).isEqualTo(1);
    assertThat(counters.get("globex", "tries")).isZero();
  }

  @Test
  void drawAboveTheFailRate_tries_andARetryIsAReplay() throws Exception {
    PaymentResource payments = withRandom(0.3);
    try (Transactions.Scope ignored = transactions.enter("globex")) {
      assertThat(payments.pay("globex", new NewPayment("o-1", "u-1", 100))).isTrue();
      assertThat(payments.pay("globex", new NewPayment("o-1", "u-1", 100))).isFalse();
    }
    assertThat(counters.get("globex", "tries")).isEqualTo(1);
    assertThat(counters.get("globex", "replays")).isEqualTo(1);
    assertThat(debit("globex", "o-1")).map(Wallets.Debit::status).contains(Wallets.Status.TRIED);
    assertThat(debit("acme", "o-1")).as("another tenant's order of the same id").isEmpty();
  }

  @Test
  void outsideATransaction_isRefused() {
    assertThatThrownBy(() -> withRandom(0.5).pay("acme", new NewPayment("o-1", "u-1", 100)))
        .isInstanceOfSatisfying(HttpProblem.class, p -> {
          assertThat(p.status()).isEqualTo(400);
          assertThat(p.type()).isEqualTo("transaction-required");
        });
  }

  @Test
  void retryForAnotherAmount_isAConflict_andAnEmptyWalletARefusal() {
    PaymentResource payments = withRandom(0.5);
    try (Transactions.Scope ignored = transactions.enter("acme")) {
      payments.pay("acme", new NewPayment("o-1", "u-1", 100));

      assertThatThrownBy(() -> payments.pay("acme", new NewPayment("o-1", "u-1", 101)))
          .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.type()).isEqualTo("idempotency-conflict"));
      assertThatThrownBy(() -> payments.pay("acme", new NewPayment("o-2", "u-1", Wallets.SEED)))
          .isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(409);
            assertThat(p.type()).isEqualTo("insufficient-funds");
          });
    }
  }

  @Test
  void haltAfterTry_haltsOnceTheTryCommitted_notOnAReplay() throws Exception {
    FaultSwitch faults = new FaultSwitch(0, () -> 0.0);
    PaymentResource payments = with(faults);
    try (Transactions.Scope ignored = transactions.enter("acme")) {
      payments.pay("acme", new NewPayment("o-1", "u-1", 100));
      faults.set(new FaultSwitch.Setting(null, true, null, null));

      payments.pay("acme", new NewPayment("o-1", "u-1", 100));
      assertThat(halts).as("a replay tried nothing").hasValue(0);
      payments.pay("acme", new NewPayment("o-2", "u-1", 100));
    }
    assertThat(halts).hasValue(1);
    assertThat(debit("acme", "o-2")).as("committed before the halt").map(Wallets.Debit::status)
        .contains(Wallets.Status.TRIED);
  }

  private Optional<Wallets.Debit> debit(String tenant, String orderId) throws Exception {
    return db.inTransaction(c -> new Wallets().find(c, tenant, orderId));
  }
}
