package io.tenantry.demo.service;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.DurationText;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.Wallets;
import java.time.Duration;
import java.util.Optional;

/**
 * The demo's JSON bodies; request bodies validate in their constructors. The tenant is never part of
 * a body: it comes from the tenant context.
 */
final class Records {
  static final long MAX_AMOUNT = 100_000_000L;

  private Records() {}

  /** A user to create. */
  record NewUser(String name, String email) {
    NewUser {
      text("name", name, 100);
      text("email", email, 254);
      if (email.indexOf('@') < 1) {
        throw new ValidationException("email", "'" + email + "' (expected: an address with '@')");
      }
    }
  }

  record User(String id, String name, String email) {}

  /**
   * An order to place: {@code amount} in cents; {@code payWithin} (optional, {@code 1s} to {@code 60s}):
   * how long its transaction may take before the coordinator rolls it back (default: 30 s).
   */
  record NewOrder(String userId, long amount, String payWithin) {
    static final Duration MAX_PAY_WITHIN = Duration.ofSeconds(60);

    NewOrder {
      Names.id("userId", userId);
      checkAmount(amount);
      if (payWithin != null) {
        DurationText.parse("payWithin", payWithin, BeginRequest.MIN_TIMEOUT, MAX_PAY_WITHIN);
      }
    }

    Optional<Duration> payWithinDuration() {
      return Optional.ofNullable(payWithin)
          .map(p -> DurationText.parse("payWithin", p, BeginRequest.MIN_TIMEOUT, MAX_PAY_WITHIN));
    }
  }

  /**
   * An order as the order service answers it: {@code status} pending, paid, cancelled or refunded;
   * {@code placedBy} and {@code version}: the order instance that placed it and its version; {@code xid}:
   * the global transaction that placed it.
   */
  record Order(String id, String userId, long amount, String status, String placedBy, String version, String xid) {
    static Order of(OrderBook.StoredOrder o) {
      return new Order(o.id(), o.userId(), o.amount(), o.status().wire(), o.placedBy(), o.version(), o.xid());
    }
  }

  /** A payment to take from {@code customer}'s wallet (the user who orders) for an order: {@code amount} in cents. */
  record NewPayment(String orderId, String customer, long amount) {
    NewPayment {
      Names.id("orderId", orderId);
      Names.id("customer", customer);
      checkAmount(amount);
    }
  }

  /** A payment as the payment service answers it: {@code status} tried, done, cancelled or refunded. */
  record Payment(String orderId, String customer, long amount, String status, String chargedBy) {
    static Payment of(Wallets.Debit d) {
      return new Payment(d.orderId(), d.customer(), d.amount(), d.status().wire(), d.chargedBy());
    }
  }

  private static void text(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new ValidationException(field, "missing (expected: 1 to " + max + " characters)");
    }
    Names.text(field, value, max);
  }

  private static void checkAmount(long amount) {
    if (amount < 1 || amount > MAX_AMOUNT) {
      throw new ValidationException("amount", amount + " (expected: 1.." + MAX_AMOUNT + " cents)");
    }
  }
}
