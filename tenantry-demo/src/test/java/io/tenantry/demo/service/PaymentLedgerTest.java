package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.demo.service.PaymentLedger.Charge;
import io.tenantry.demo.service.Records.NewPayment;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PaymentLedgerTest {
  private final AtomicInteger ids = new AtomicInteger();
  private final PaymentLedger ledger = new PaymentLedger(() -> "p" + ids.incrementAndGet(), "payment-1");

  @Test
  void retriedPayment_isChargedOnce() {
    Charge first = ledger.charge("acme", "o-1", new NewPayment("o-1", 500));
    Charge retry = ledger.charge("acme", "o-1", new NewPayment("o-1", 500));

    assertThat(first.replayed()).isFalse();
    assertThat(retry.replayed()).isTrue();
    assertThat(retry.payment()).isEqualTo(first.payment());
    assertThat(ledger.size("acme")).isEqualTo(1);
    assertThat(ids.get()).isEqualTo(2); // an id is drawn per attempt, but only one payment is kept
  }

  @Test
  void sameKey_inAnotherTenant_isAnotherPayment() {
    Charge acme = ledger.charge("acme", "o-1", new NewPayment("o-1", 500));
    Charge globex = ledger.charge("globex", "o-1", new NewPayment("o-1", 500));

    assertThat(globex.replayed()).isFalse();
    assertThat(globex.payment().id()).isNotEqualTo(acme.payment().id());
    assertThat(ledger.find("globex", "o-1")).contains(globex.payment());
    assertThat(ledger.find("initech", "o-1")).isEmpty();
  }

  @Test
  void keyReused_forAnotherPayment_isAConflict() {
    ledger.charge("acme", "o-1", new NewPayment("o-1", 500));

    assertThatThrownBy(() -> ledger.charge("acme", "o-1", new NewPayment("o-1", 501)))
        .isInstanceOfSatisfying(HttpProblem.class, p -> {
          assertThat(p.status()).isEqualTo(409);
          assertThat(p.type()).isEqualTo("idempotency-conflict");
        });
    assertThat(ledger.find("acme", "o-1").orElseThrow().amount()).isEqualTo(500);
  }

  @Test
  void paymentReplicatedFromAPeer_makesARetryHereAReplay() {
    PaymentLedger peer = new PaymentLedger(() -> "q" + ids.incrementAndGet(), "payment-2");
    Charge charged = peer.charge("globex", "o-9", new NewPayment("o-9", 700));

    ledger.replicate("globex", "o-9", charged.payment());
    Charge retry = ledger.charge("globex", "o-9", new NewPayment("o-9", 700));

    assertThat(retry.replayed()).isTrue();
    assertThat(retry.payment().chargedBy()).isEqualTo("payment-2");
  }
}
