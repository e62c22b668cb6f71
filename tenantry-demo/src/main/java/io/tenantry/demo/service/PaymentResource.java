package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Names;
import io.tenantry.demo.service.PaymentLedger.Charge;
import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.service.Records.Payment;
import io.tenantry.demo.service.Router.Response;
import java.util.function.DoubleSupplier;

/**
 * The payment service: {@code POST /payments} with an {@code Idempotency-Key} header charges once per
 * key and tenant; a repeat answers 200 with the first charge. With a fail rate above zero it refuses
 * that share of calls with 503 before charging anything, so that callers retry and fail over; the share
 * can be changed while it runs (see {@link FaultSwitch}).
 * Thread-safe.
 */
final class PaymentResource implements Resource {
  static final String KIND = "payment";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final PaymentLedger ledger;
  private final FaultSwitch faults;
  private final Counters counters;
  private final Replicator replicator;
  private final ObjectMapper json;

  PaymentResource(PaymentLedger ledger, double failRate, DoubleSupplier random, Counters counters,
      Replicator replicator, ObjectMapper json) {
    this(ledger, new FaultSwitch(failRate, random), counters, replicator, json);
  }

  PaymentResource(PaymentLedger ledger, FaultSwitch faults, Counters counters, Replicator replicator, ObjectMapper json) {
    this.ledger = ledger;
    this.faults = faults;
    this.counters = counters;
    this.replicator = replicator;
    this.json = json;
  }

  @Override
  public void routes(Router router) {
    router.tenantRoute("POST", "/payments", (tenant, request) -> {
      String key = request.header(IDEMPOTENCY_KEY);
      if (key == null) {
        throw new HttpProblem(400, "idempotency-key-required", IDEMPOTENCY_KEY
            + ": missing (expected: a key that names this payment, reused on retries)", IDEMPOTENCY_KEY);
      }
      Names.id(IDEMPOTENCY_KEY, key);
      NewPayment payment = request.body(NewPayment.class);
      Charge charge = pay(tenant, key, payment);
      return new Response(charge.replayed() ? 200 : 201, charge.payment());
    });
  }

  Charge pay(String tenant, String key, NewPayment payment) {
    if (faults.failsNow()) {
      counters.increment(tenant, "injectedFailures");
      throw new HttpProblem(503, "injected-failure",
          "this instance refuses a share of its calls on purpose (fail rate " + faults.failRate() + "); retry");
    }
    Charge charge = ledger.charge(tenant, key, payment);
    if (charge.replayed()) {
      counters.increment(tenant, "replays");
    } else {
      counters.increment(tenant, "charges");
      replicator.replicate(tenant, KIND, key, charge.payment());
    }
    return charge;
  }

  @Override
  public void apply(String tenant, Replicator.Write write) throws JsonProcessingException {
    if (!KIND.equals(write.kind())) {
      throw HttpProblem.badRequest("kind", "'" + write.kind() + "' (expected: " + KIND + ")");
    }
    Names.id("key", write.key());
    ledger.replicate(tenant, write.key(), json.treeToValue(write.record(), Payment.class));
  }
}
