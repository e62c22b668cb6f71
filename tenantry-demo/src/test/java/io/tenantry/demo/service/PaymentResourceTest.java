package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.Json;
import io.tenantry.demo.service.Records.NewPayment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PaymentResourceTest {
  private final Counters counters = new Counters();
  private final AtomicInteger ids = new AtomicInteger();
  private final PaymentLedger ledger = new PaymentLedger(() -> "p" + ids.incrementAndGet(), "payment-2");
  private final Replicator noPeers = new Replicator(Json.newMapper(), List::of, "payment-2", null, "test-service-key");

  private PaymentResource withRandom(double draw) {
    return new PaymentResource(ledger, 0.3, () -> draw, counters, noPeers, Json.newMapper());
  }

  @Test
  void injectedFailure_isA503_andChargesNothing() {
    assertThatThrownBy(() -> withRandom(0.29).pay("globex", "o-1", new NewPayment("o-1", 100)))
        .isInstanceOfSatisfying(HttpProblem.class, p -> {
          assertThat(p.status()).isEqualTo(503);
          assertThat(p.type()).isEqualTo("injected-failure");
        });

    assertThat(ledger.size("globex")).isZero();
    assertThat(counters.get("globex", "injectedFailures")).isEqualTo(1);
    assertThat(counters.get("globex", "charges")).isZero();
  }

  @Test
  void drawAboveTheFailRate_charges_andARetryIsAReplay() {
    PaymentResource payments = withRandom(0.3);

    payments.pay("globex", "o-1", new NewPayment("o-1", 100));
    payments.pay("globex", "o-1", new NewPayment("o-1", 100));

    assertThat(counters.get("globex", "charges")).isEqualTo(1);
    assertThat(counters.get("globex", "replays")).isEqualTo(1);
    assertThat(ledger.size("globex")).isEqualTo(1);
  }

  @Test
  void failRateZero_neverFails() {
    PaymentResource payments = new PaymentResource(ledger, 0, () -> 0.0, counters, noPeers, Json.newMapper());

    payments.pay("acme", "o-1", new NewPayment("o-1", 100));

    assertThat(counters.get("acme", "charges")).isEqualTo(1);
  }
}
