package io.tenantry.server.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the change feed and its streams. Immutable; validated on construction.
 *
 * @param historyPerNamespace       events kept per namespace for resuming a watch; older revisions answer 410
 * @param bookmarkInterval          how often every stream receives a {@code BOOKMARK} with the current revision
 * @param maxQueuedEventsPerWatcher frames a stream may have queued before it counts as a slow consumer and is closed
 * @param maxLongPollWait           the longest {@code ?wait=} a long-poll may ask for (longer values are clamped)
 */
public record WatchSettings(int historyPerNamespace, Duration bookmarkInterval, int maxQueuedEventsPerWatcher,
    Duration maxLongPollWait) {

  public WatchSettings {
    if (historyPerNamespace < 1) {
      throw new IllegalArgumentException("historyPerNamespace: " + historyPerNamespace + " (expected: >= 1)");
    }
    positive("bookmarkInterval", bookmarkInterval);
    if (maxQueuedEventsPerWatcher < 1) {
      throw new IllegalArgumentException(
          "maxQueuedEventsPerWatcher: " + maxQueuedEventsPerWatcher + " (expected: >= 1)");
    }
    positive("maxLongPollWait", maxLongPollWait);
  }

  /** 10,000 events per namespace, a bookmark every 15 s, 1,024 queued frames per stream, long-poll up to 60 s. */
  public static WatchSettings defaults() {
    return new WatchSettings(10_000, Duration.ofSeconds(15), 1024, Duration.ofSeconds(60));
  }

  static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
    }
  }
}
