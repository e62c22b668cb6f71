package io.tenantry.demo.service;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;

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

  /** An order to place: {@code amount} in cents. */
  record NewOrder(String userId, long amount) {
    NewOrder {
      Names.id("userId", userId);
      checkAmount(amount);
    }
  }

  /** A placed order; {@code placedBy} and {@code version}: the order instance that placed it and its version. */
  record Order(String id, String userId, long amount, String paymentId, String status, String placedBy,
      String version) {}

  /** A payment to charge: {@code amount} in cents. */
  record NewPayment(String orderId, long amount) {
    NewPayment {
      Names.id("orderId", orderId);
      checkAmount(amount);
    }
  }

  record Payment(String id, String orderId, long amount, String chargedBy) {}

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
