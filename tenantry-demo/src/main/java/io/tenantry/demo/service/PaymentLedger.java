package io.tenantry.demo.service;

import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.service.Records.Payment;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Payments per tenant, keyed by the caller's idempotency key: a retried payment returns the charge
 * already made instead of charging again. Keys are per tenant, so two tenants may use the same key
 * without seeing each other's payment. Thread-safe.
 */
final class PaymentLedger {
  /** The outcome of a charge: the payment, and whether it had been charged before under the same key. */
  record Charge(Payment payment, boolean replayed) {}

  private final TenantStore<Payment> byKey = new TenantStore<>();
  private final Supplier<String> ids;
  private final String instanceId;

  PaymentLedger(Supplier<String> ids, String instanceId) {
    this.ids = ids;
    this.instanceId = instanceId;
  }

  /**
   * Charges {@code request} once per {@code (tenant, key)}. A replay with a different order or amount is
   * refused with 409: the key was reused for another payment.
   */
  Charge charge(String tenant, String key, NewPayment request) {
    Payment fresh = new Payment(ids.get(), request.orderId(), request.amount(), instanceId);
    Payment stored = byKey.putIfAbsent(tenant, key, fresh);
    if (stored == fresh) {
      return new Charge(fresh, false);
    }
    if (!stored.orderId().equals(request.orderId()) || stored.amount() != request.amount()) {
      throw new HttpProblem(409, "idempotency-conflict", "Idempotency-Key: '" + key
          + "' was used for another payment (expected: a new key per payment)", "Idempotency-Key");
    }
    return new Charge(stored, true);
  }

  /** Stores a payment a peer charged, so that a retry reaching this instance is recognised. */
  void replicate(String tenant, String key, Payment payment) {
    byKey.putIfAbsent(tenant, key, payment);
  }

  Optional<Payment> find(String tenant, String key) {
    return byKey.get(tenant, key);
  }

  int size(String tenant) {
    return byKey.size(tenant);
  }
}
