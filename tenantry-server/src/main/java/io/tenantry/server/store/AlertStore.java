package io.tenantry.server.store;

import io.tenantry.server.alert.AlertEvent;
import io.tenantry.server.alert.HistoryQuery;
import java.time.Instant;
import java.util.List;

/**
 * Durable alert events (with the outcome of their webhook deliveries) and the set of alerts firing now.
 * Thread-safe. Events of one alert must be appended in order by the caller (the evaluator's single thread).
 */
public interface AlertStore {
  /**
   * Stores {@code event} (its id ignored) with its deliveries in one transaction, and updates the firing set:
   * a firing event makes its alert firing (replacing an earlier firing event of it), a resolved one removes it.
   * Its namespace must exist, else a {@link StoreException}.
   *
   * @return the event with the id it was given
   */
  AlertEvent append(AlertEvent event);

  /** Records the outcome so far of delivery {@code seq} (the notifier's position) of an event; false if it is gone. */
  boolean delivery(long eventId, int seq, AlertEvent.Delivery delivery);

  /** The firing event of every alert firing now, of every namespace, ordered by id. */
  List<AlertEvent> firing();

  /** A page of a namespace's events, newest first (see {@link HistoryQuery}). */
  List<AlertEvent> history(String namespace, HistoryQuery query);

  /**
   * Removes events older than {@code before}, and in each namespace all but the newest {@code keep}: never
   * the firing event of an alert still firing. Returns how many were removed.
   */
  int prune(Instant before, int keep);

  /**
   * True while this process is the one that evaluates alerts: always on H2 (one process per data directory);
   * on PostgreSQL, the one node holding the alerts' advisory lock of the schema, taken or kept by this call.
   */
  boolean lead();
}
