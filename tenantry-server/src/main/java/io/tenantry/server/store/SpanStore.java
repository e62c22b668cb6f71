package io.tenantry.server.store;

import java.util.List;

/**
 * The durable copy of the trace collector's spans: appended in batches, read back once at start, deleted by
 * age, by count and with their namespace. The store never interprets a span's bytes. Thread-safe.
 */
public interface SpanStore {
  /** Appends {@code spans} in one transaction (all or none). */
  void append(List<StoredSpan> spans);

  /** The newest {@code limit} spans received at or after {@code since} (epoch ms), oldest first. */
  List<StoredSpan> recent(long since, int limit);

  /** Deletes the spans received before {@code cutoff} (epoch ms); returns how many. */
  int deleteReceivedBefore(long cutoff);

  /** Deletes the oldest spans beyond the newest {@code keep} (spans received in the same millisecond as the
   * last kept one may stay); returns how many. */
  int trimTo(int keep);

  /** Deletes every span of a namespace; returns how many. */
  int deleteNamespace(String namespace);

  /** How many spans are stored. */
  long count();
}
