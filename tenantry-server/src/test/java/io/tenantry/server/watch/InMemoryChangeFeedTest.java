package io.tenantry.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.EventType;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryChangeFeedTest {
  private final CountingRevisionStore store = new CountingRevisionStore();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<InMemoryChangeFeed> feeds = new ArrayList<>();

  @AfterEach
  void close() {
    feeds.forEach(InMemoryChangeFeed::close);
  }

  private InMemoryChangeFeed feed(int history, int queue) {
    InMemoryChangeFeed f = new InMemoryChangeFeed(store,
        new WatchSettings(history, Duration.ofHours(1), queue, Duration.ofSeconds(60)), meters);
    feeds.add(f);
    return f;
  }

  private static long add(InMemoryChangeFeed feed, String ns, String service, String id) {
    return feed.append(ns, WatchEvent.KIND_INSTANCE, service + "/" + id, EventType.ADDED, rev -> rev);
  }

  @Test
  void append_revisionsStrictlyIncreaseAcrossNamespaces() {
    InMemoryChangeFeed feed = feed(100, 100);
    long last = feed.currentRevision();
    for (int i = 0; i < 50; i++) {
      long rev = add(feed, i % 2 == 0 ? "a" : "b", "order", "o-" + i);
      assertThat(rev).isGreaterThan(last);
      assertThat(feed.currentRevision()).isEqualTo(rev);
      last = rev;
    }
  }

  @Test
  void revisions_reservedInBlocks_andKeepGrowingAfterRestart() {
    InMemoryChangeFeed first = feed(100, 100);
    long last = 0;
    for (int i = 0; i < 2500; i++) {
      last = add(first, "a", "order", "o-" + i);
    }
    assertThat(store.reservations()).isEqualTo(3); // 1,000 at a time, not one write per change
    first.close();
    InMemoryChangeFeed second = feed(100, 100);
    assertThat(second.currentRevision()).isGreaterThanOrEqualTo(last);
    assertThat(add(second, "a", "order", "o-x")).isGreaterThan(last);
  }

  @Test
  void append_failingChange_appendsNothing() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink sink = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), null, sink);
    assertThatThrownBy(() -> feed.append("a", WatchEvent.KIND_INSTANCE, "order/o-1", EventType.ADDED, rev -> {
      throw new IllegalStateException("disk full");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(sink.types()).containsExactly("BOOKMARK");
  }

  @Test
  void watch_resumesAfterRevision_withMatchingEventsThenBookmark() {
    InMemoryChangeFeed feed = feed(100, 100);
    long r1 = add(feed, "a", "order", "o-1");
    long r2 = add(feed, "a", "payment", "p-1");
    long r3 = add(feed, "a", "order", "o-2");
    add(feed, "b", "order", "o-3");
    feed.append("a", WatchEvent.KIND_TENANT, "acme", EventType.ADDED, rev -> Map.of("id", "acme"));
    long r5 = feed.currentRevision();

    RecordingSink orders = new RecordingSink();
    long live = feed.watch("a", WatchFilter.parse("instance,tenant", "order"), r1, orders);
    assertThat(orders.ids()).containsExactly(r3, r5, live);
    assertThat(orders.types()).containsExactly("ADDED", "ADDED", "BOOKMARK");
    assertThat(orders.frames().get(1)).contains("\"kind\":\"tenant\"").contains("\"object\":{\"id\":\"acme\"}");

    RecordingSink everything = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), r1, everything);
    assertThat(everything.ids()).containsExactly(r2, r3, live);
  }

  @Test
  void watch_liveEvents_reachOnlyMatchingWatchers() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink orders = new RecordingSink();
    RecordingSink payments = new RecordingSink();
    RecordingSink tenants = new RecordingSink();
    RecordingSink otherNamespace = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, "order"), null, orders);
    feed.watch("a", WatchFilter.parse("instance", "payment,order"), null, payments);
    feed.watch("a", WatchFilter.parse("tenant", null), null, tenants);
    feed.watch("b", WatchFilter.parse(null, null), null, otherNamespace);

    long r = add(feed, "a", "order", "o-1");
    add(feed, "a", "user", "u-1");
    feed.append("a", WatchEvent.KIND_TENANT, "acme", EventType.DELETED, WatchEvent.REASON_DELETED, rev -> null);
    long t = feed.currentRevision();

    assertThat(orders.ids()).endsWith(r).hasSize(2);
    assertThat(payments.ids()).endsWith(r).hasSize(2);
    assertThat(tenants.ids()).endsWith(t).hasSize(2);
    assertThat(tenants.frames().get(1)).contains("\"reason\":\"deleted\"");
    assertThat(otherNamespace.types()).containsExactly("BOOKMARK");
    assertThat(meters.get("tenantry.watch.watchers").gauge().value()).isEqualTo(4);
  }

  @Test
  void watch_tooOldRevision_isGone() {
    InMemoryChangeFeed feed = feed(3, 100);
    long first = add(feed, "a", "order", "o-1");
    for (int i = 2; i <= 5; i++) {
      add(feed, "a", "order", "o-" + i);
    }
    RecordingSink sink = new RecordingSink();
    assertThatThrownBy(() -> feed.watch("a", WatchFilter.parse(null, null), first, sink))
        .isInstanceOf(RevisionGoneException.class)
        .satisfies(e -> assertThat(((RevisionGoneException) e).requested()).isEqualTo(first));
    assertThatThrownBy(() -> feed.checkResumable("a", feed.currentRevision() + 10))
        .isInstanceOf(RevisionGoneException.class);
    assertThat(sink.frames()).isEmpty();
    // the oldest retained position still resumes
    long oldest = feed.currentRevision() - 3;
    feed.watch("a", WatchFilter.parse(null, null), oldest, sink);
    assertThat(sink.types()).containsExactly("ADDED", "ADDED", "ADDED", "BOOKMARK");
  }

  @Test
  void watch_revisionFromBeforeThisProcess_isGone() {
    InMemoryChangeFeed first = feed(100, 100);
    long old = add(first, "a", "order", "o-1");
    first.close();
    InMemoryChangeFeed second = feed(100, 100);
    assertThatThrownBy(() -> second.checkResumable("a", old)).isInstanceOf(RevisionGoneException.class);
    second.checkResumable("a", second.currentRevision());
  }

  @Test
  void sendBookmarks_carriesCurrentRevision() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink sink = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, "order"), null, sink);
    add(feed, "b", "order", "o-1"); // another namespace moves the global revision
    feed.sendBookmarks();
    assertThat(sink.types()).containsExactly("BOOKMARK", "BOOKMARK");
    assertThat(sink.ids().get(1)).isEqualTo(feed.currentRevision());
    assertThat(sink.frames().get(1)).contains("\"type\":\"BOOKMARK\"");
  }

  @Test
  void slowConsumer_isClosedWithFinalError() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink slow = new RecordingSink(3);
    RecordingSink fast = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), null, slow);
    feed.watch("a", WatchFilter.parse(null, null), null, fast);
    for (int i = 0; i < 5; i++) {
      add(feed, "a", "order", "o-" + i);
    }
    assertThat(slow.closed()).isTrue();
    assertThat(slow.finalFrame()).startsWith("event: ERROR").contains("slow-consumer").contains("\"status\":410");
    assertThat(fast.types()).hasSize(6);
    assertThat(meters.get("tenantry.watch.slow.consumer.disconnects").counter().count()).isEqualTo(1);
    assertThat(feed.watcherCount()).isEqualTo(1);
  }

  @Test
  void closedSink_isUnsubscribed() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink sink = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), null, sink);
    sink.close(null);
    assertThat(feed.watcherCount()).isZero();
    add(feed, "a", "order", "o-1");
    assertThat(sink.types()).containsExactly("BOOKMARK");
  }

  @Test
  void dropNamespace_closesWatchersAndForgetsHistory() {
    InMemoryChangeFeed feed = feed(100, 100);
    long r = add(feed, "a", "order", "o-1");
    RecordingSink sink = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), null, sink);
    feed.dropNamespace("a");
    assertThat(sink.finalFrame()).contains("namespace-deleted");
    assertThatThrownBy(() -> feed.checkResumable("a", r - 1)).isInstanceOf(RevisionGoneException.class);
  }

  @Test
  void close_endsEveryStream() {
    InMemoryChangeFeed feed = feed(100, 100);
    RecordingSink sink = new RecordingSink();
    feed.watch("a", WatchFilter.parse(null, null), null, sink);
    feed.close();
    assertThat(sink.closed()).isTrue();
    assertThat(feed.watcherCount()).isZero();
  }

  @Test
  void filter_rejectsBadInput() {
    assertThatThrownBy(() -> WatchFilter.parse("instance,pods", null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("kinds");
    assertThatThrownBy(() -> WatchFilter.parse(null, "Order!"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("services");
    assertThat(WatchFilter.parse(" ", " order , payment ").services()).containsExactlyInAnyOrder("order", "payment");
  }
}
