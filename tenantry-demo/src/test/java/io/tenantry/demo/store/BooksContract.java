package io.tenantry.demo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.demo.store.OrderBook.Status;
import io.tenantry.demo.store.OrderBook.StoredOrder;
import io.tenantry.demo.store.Wallets.Debit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order and payment books' business functions, run against every database the demo supports: each
 * state change, its repeat (phase two delivered twice), the refusals, wallets that never overdraw under
 * concurrent tries, and the audit that checks the books afterwards.
 */
abstract class BooksContract {
  private final OrderBook orders = new OrderBook();
  private final Wallets wallets = new Wallets();
  private Database orderDb;
  private Database paymentDb;

  /** Settings of a fresh, empty database named after {@code service}. */
  abstract DatabaseSettings fresh(String service);

  abstract void cleanUp();

  @BeforeEach
  void open() {
    orderDb = Database.open("test-order", fresh("order"), OrderBook.SCHEMA);
    paymentDb = Database.open("test-payment", fresh("payment"), Wallets.SCHEMA);
  }

  @AfterEach
  void close() {
    orderDb.close();
    paymentDb.close();
    cleanUp();
  }

  @Test
  void order_reserveConfirm_isPaid_andARepeatedConfirmChangesNothing() throws Exception {
    reserve("o-1", 500);
    assertThat(order("o-1").status()).isEqualTo(Status.PENDING);

    onOrders(c -> orders.confirm(c, "acme", "o-1"));
    onOrders(c -> orders.confirm(c, "acme", "o-1"));

    assertThat(order("o-1").status()).isEqualTo(Status.PAID);
    assertThatThrownBy(() -> onOrders(c -> orders.cancel(c, "acme", "o-1")))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("order-state"));
    assertThat(order("o-1").status()).isEqualTo(Status.PAID);
  }

  @Test
  void order_cancel_ofPendingIsCancelled_ofAnUnknownOrderDoesNothing_andConfirmAfterIsRefused() throws Exception {
    reserve("o-1", 500);
    onOrders(c -> orders.cancel(c, "acme", "o-1"));
    onOrders(c -> orders.cancel(c, "acme", "o-1"));
    onOrders(c -> orders.cancel(c, "acme", "never-reserved"));

    assertThat(order("o-1").status()).isEqualTo(Status.CANCELLED);
    Optional<StoredOrder> none = orderDb.inTransaction(c -> orders.find(c, "acme", "never-reserved"));
    assertThat(none).isEmpty();
    assertThatThrownBy(() -> onOrders(c -> orders.confirm(c, "acme", "o-1"))).isInstanceOf(Refusal.class);
  }

  @Test
  void order_reserveTwice_isRefused_andTenantsKeepTheirOwnIds() throws Exception {
    reserve("o-1", 500);
    assertThatThrownBy(() -> reserve("o-1", 500))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("order-exists"));
    onOrders(c -> orders.reserve(c, new StoredOrder("globex", "o-1", "u-9", 7, Status.PENDING, "order-2", "v1", null)));

    Optional<StoredOrder> globex = orderDb.inTransaction(c -> orders.find(c, "globex", "o-1"));
    assertThat(globex).map(StoredOrder::amount).contains(7L);
    assertThat(order("o-1").amount()).isEqualTo(500);
  }

  @Test
  void order_refund_onlyOfAPaidOrder_andItsCompensationRestoresPaid() throws Exception {
    reserve("o-1", 500);
    assertThatThrownBy(() -> onOrders(c -> orders.markRefunded(c, "acme", "o-1")))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("order-not-refundable"));
    onOrders(c -> orders.confirm(c, "acme", "o-1"));

    onOrders(c -> orders.markRefunded(c, "acme", "o-1"));
    assertThat(order("o-1").status()).isEqualTo(Status.REFUNDED);
    assertThatThrownBy(() -> onOrders(c -> orders.markRefunded(c, "acme", "o-1"))).isInstanceOf(Refusal.class);

    onOrders(c -> orders.restorePaid(c, "acme", "o-1"));
    onOrders(c -> orders.restorePaid(c, "acme", "o-1"));
    assertThat(order("o-1").status()).isEqualTo(Status.PAID);
  }

  @Test
  void wallet_tryHoldsTheMoney_confirmSpendsIt_twiceChangesNothing() throws Exception {
    Wallets.Tried tried = paying(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", 300, "payment-1", null));
    assertThat(tried.fresh()).isTrue();
    assertThat(wallet("u-1")).isEqualTo(new Wallets.Wallet("acme", "u-1", Wallets.SEED - 300, 300, Wallets.SEED));

    onPayments(c -> wallets.confirmDebit(c, "acme", "o-1"));
    onPayments(c -> wallets.confirmDebit(c, "acme", "o-1"));

    assertThat(wallet("u-1")).isEqualTo(new Wallets.Wallet("acme", "u-1", Wallets.SEED - 300, 0, Wallets.SEED));
    assertThat(debit("o-1").status()).isEqualTo(Wallets.Status.DONE);
    assertThatThrownBy(() -> onPayments(c -> wallets.cancelDebit(c, "acme", "o-1"))).isInstanceOf(Refusal.class);
  }

  @Test
  void wallet_aRepeatedTry_findsTheFirst_andChargesNothingMore() throws Exception {
    onPayments(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", 300, "payment-1", null));
    Wallets.Tried again = paying(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", 300, "payment-2", null));

    assertThat(again.fresh()).isFalse();
    assertThat(again.debit().chargedBy()).isEqualTo("payment-1");
    assertThat(wallet("u-1").frozen()).isEqualTo(300);
  }

  @Test
  void wallet_cancel_givesTheMoneyBack_ofAnUntriedDebitDoesNothing_andConfirmAfterIsRefused() throws Exception {
    onPayments(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", 300, "payment-1", null));
    onPayments(c -> wallets.cancelDebit(c, "acme", "o-1"));
    onPayments(c -> wallets.cancelDebit(c, "acme", "o-1"));
    onPayments(c -> wallets.cancelDebit(c, "acme", "never-tried"));

    assertThat(wallet("u-1")).isEqualTo(new Wallets.Wallet("acme", "u-1", Wallets.SEED, 0, Wallets.SEED));
    assertThat(debit("o-1").status()).isEqualTo(Wallets.Status.CANCELLED);
    assertThatThrownBy(() -> onPayments(c -> wallets.confirmDebit(c, "acme", "o-1"))).isInstanceOf(Refusal.class);
  }

  @Test
  void wallet_notEnoughMoney_isRefused_andTheRolledBackTryLeavesNothing() throws Exception {
    assertThatThrownBy(() -> onPayments(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", Wallets.SEED + 1, "payment-1",
        null))).isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("insufficient-funds"));

    Optional<Debit> debit = paymentDb.inTransaction(c -> wallets.find(c, "acme", "o-1"));
    Optional<Wallets.Wallet> wallet = paymentDb.inTransaction(c -> wallets.wallet(c, "acme", "u-1"));
    assertThat(debit).isEmpty();
    assertThat(wallet).isEmpty();
  }

  @Test
  void wallet_creditGivesTheMoneyBack_onlyForADoneDebit_andUncreditTakesItAgain() throws Exception {
    onPayments(c -> wallets.tryDebit(c, "acme", "o-1", "u-1", 300, "payment-1", null));
    assertThatThrownBy(() -> onPayments(c -> wallets.credit(c, "acme", "o-1")))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("debit-not-refundable"));
    onPayments(c -> wallets.confirmDebit(c, "acme", "o-1"));

    onPayments(c -> wallets.credit(c, "acme", "o-1"));
    assertThat(wallet("u-1").balance()).isEqualTo(Wallets.SEED);
    assertThat(debit("o-1").status()).isEqualTo(Wallets.Status.REFUNDED);
    onPayments(c -> wallets.confirmDebit(c, "acme", "o-1")); // a late repeat of the confirm changes nothing

    onPayments(c -> wallets.uncredit(c, "acme", "o-1"));
    onPayments(c -> wallets.uncredit(c, "acme", "o-1"));
    assertThat(wallet("u-1").balance()).isEqualTo(Wallets.SEED - 300);
    assertThat(debit("o-1").status()).isEqualTo(Wallets.Status.DONE);
  }

  @Test
  void wallet_concurrentTries_neverOverdraw() throws Exception {
    long amount = Wallets.SEED / 10;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String orderId = "o-" + i;
        Callable<Boolean> task = () -> {
          try {
            return paying(c -> wallets.tryDebit(c, "acme", orderId, "u-1", amount, "payment-1", null)).fresh();
          } catch (Refusal r) {
            return false;
          }
        };
        tries.add(pool.submit(task));
      }
      long held = 0;
      for (Future<Boolean> f : tries) {
        held += f.get() ? 1 : 0;
      }
      assertThat(held).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    assertThat(wallet("u-1")).isEqualTo(new Wallets.Wallet("acme", "u-1", 0, Wallets.SEED, Wallets.SEED));
  }

  @Test
  void audit_holds_forFinishedTransactions_andNamesWhatIsWrong() throws Exception {
    paidOrder("o-1", "u-1", 300);
    paidOrder("o-2", "u-1", 200);
    onOrders(c -> orders.markRefunded(c, "acme", "o-2"));
    onPayments(c -> wallets.credit(c, "acme", "o-2"));
    reserve("o-3", 100);
    onOrders(c -> orders.cancel(c, "acme", "o-3"));

    LedgerAudit.TenantBooks books = audit(true).get("acme");
    assertThat(books.violations()).isEmpty();
    assertThat(books.moneyConserved()).isTrue();
    assertThat(books.orders(Status.PAID)).isEqualTo(1);
    assertThat(books.orders(Status.REFUNDED)).isEqualTo(1);
    assertThat(books.orders(Status.CANCELLED)).isEqualTo(1);
    assertThat(books.debits(Wallets.Status.DONE)).isEqualTo(1);
    assertThat(books.doneAmount()).isEqualTo(300);

    // a paid order without its debit, a done debit without its order, and one in doubt
    reserve("o-4", 50);
    onOrders(c -> orders.confirm(c, "acme", "o-4"));
    onPayments(c -> wallets.tryDebit(c, "acme", "o-5", "u-1", 70, "payment-1", null));
    onPayments(c -> wallets.confirmDebit(c, "acme", "o-5"));
    onPayments(c -> wallets.tryDebit(c, "acme", "o-6", "u-1", 10, "payment-1", null));

    assertThat(audit(false).get("acme").violations()).containsExactly(
        "1 paid orders without their done debit: o-4 (no debit)",
        "1 done debits without their paid order: o-5 (no order)");
    assertThat(audit(true).get("acme").violations()).contains("1 tried debits left: o-6",
        "frozen money left: 10 (expected: 0 with nothing in flight)");
  }

  @Test
  void audit_findsMoneyThatWasNotConserved() throws Exception {
    paidOrder("o-1", "u-1", 300);
    paymentDb.inTransaction(c -> Sql.update(c, "UPDATE wallets SET balance = balance + 1"));

    assertThat(audit(true).get("acme").violations()).singleElement().asString().startsWith("money not conserved");
  }

  private Map<String, LedgerAudit.TenantBooks> audit(boolean atRest) throws SQLException {
    return LedgerAudit.read(orderDb.dataSource(), paymentDb.dataSource(), atRest);
  }

  private void paidOrder(String id, String customer, long amount) throws Exception {
    onOrders(c -> orders.reserve(c, new StoredOrder("acme", id, customer, amount, Status.PENDING, "order-1", "v1", null)));
    onPayments(c -> wallets.tryDebit(c, "acme", id, customer, amount, "payment-1", null));
    onPayments(c -> wallets.confirmDebit(c, "acme", id));
    onOrders(c -> orders.confirm(c, "acme", id));
  }

  private void reserve(String id, long amount) throws SQLException {
    onOrders(c -> orders.reserve(c, new StoredOrder("acme", id, "u-1", amount, Status.PENDING, "order-1", "v1", null)));
  }

  private StoredOrder order(String id) throws SQLException {
    return orderDb.inTransaction(c -> orders.find(c, "acme", id)).orElseThrow();
  }

  private Debit debit(String orderId) throws SQLException {
    return paymentDb.inTransaction(c -> wallets.find(c, "acme", orderId)).orElseThrow();
  }

  private Wallets.Wallet wallet(String customer) throws SQLException {
    return paymentDb.inTransaction(c -> wallets.wallet(c, "acme", customer)).orElseThrow();
  }

  @FunctionalInterface
  interface Step {
    void run(java.sql.Connection c) throws SQLException;
  }

  private void onOrders(Step step) throws SQLException {
    orderDb.inTransaction(c -> {
      step.run(c);
      return null;
    });
  }

  private <T> T paying(Database.Work<T> work) throws SQLException {
    return paymentDb.inTransaction(work);
  }

  private void onPayments(Step step) throws SQLException {
    paymentDb.inTransaction(c -> {
      step.run(c);
      return null;
    });
  }
}
