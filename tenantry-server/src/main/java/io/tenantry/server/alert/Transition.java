package io.tenantry.server.alert;

import java.time.Duration;
import java.time.Instant;

/**
 * The life of one alert from one evaluation to the next, as a pure function: inactive → pending (its rule
 * holds) → firing (it held for {@code holdFor}) → resolved (the reading is clear), pending falling back to
 * inactive without an event if the reading is clear before {@code holdFor}. A reading neither holding nor clear
 * (above the threshold on fewer calls than {@code minCalls}) changes nothing: a failing instance that its
 * callers stopped sending to does not resolve for want of calls. Stateless.
 */
enum Transition {
  /** Was inactive, is inactive. */
  NONE,
  /** Starts pending. */
  PEND,
  /** Stays pending. */
  KEEP_PENDING,
  /** Was pending, no longer holds: inactive again, nothing recorded. */
  CANCEL,
  /** Fires: an event is recorded and sent. */
  FIRE,
  /** Stays firing. */
  KEEP_FIRING,
  /** Was firing, no longer holds: an event is recorded and sent. */
  RESOLVE;

  /**
   * @param current the alert's state, null when inactive
   * @param since   when it became pending (ignored otherwise)
   */
  static Transition of(ActiveAlert.Status current, Instant since, Reading reading, Duration holdFor, Instant now) {
    if (current == null) {
      return !reading.holds() ? NONE : holdFor.isZero() ? FIRE : PEND;
    }
    return switch (current) {
      case PENDING -> reading.clear() ? CANCEL
          : reading.holds() && Duration.between(since, now).compareTo(holdFor) >= 0 ? FIRE : KEEP_PENDING;
      case FIRING -> reading.clear() ? RESOLVE : KEEP_FIRING;
    };
  }
}
