package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.instance;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.EventType;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.WatchEvent;
import io.tenantry.server.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceCacheTest {
  private final MutableClock clock = new MutableClock();
  private final Counters counters = new Counters();
  private final ServiceCache cache =
      new ServiceCache("payment", new EmptyPushGuard(0.5, Duration.ofMinutes(2)), clock, counters);

  private static Instance up(String id, long revision) {
    return instance("payment", id, InstanceStatus.UP, null, revision);
  }

  private static List<String> ids(List<Instance> list) {
    return list.stream().map(Instance::id).toList();
  }

  @Test
  void firstList_isServedSortedAndImmutable() {
    ServiceCache.Change c = cache.applyList(10, List.of(up("b", 5), up("a", 6)), false);
    assertThat(c.changed()).isTrue();
    assertThat(cache.ready()).isTrue();
    assertThat(ids(cache.served())).containsExactly("a", "b");
    assertThat(cache.served()).isUnmodifiable();
  }

  @Test
  void events_applyInRevisionOrder_olderAndDuplicatesIgnored() {
    cache.applyList(10, List.of(up("a", 5)), false);
    assertThat(cache.applyEvent(EventType.ADDED, up("b", 11), 11, null).changed()).isTrue();
    assertThat(cache.applyEvent(EventType.DELETED, up("b", 11), 11, WatchEvent.REASON_DEREGISTERED).changed())
        .isFalse();
    assertThat(cache.applyEvent(EventType.DELETED, up("a", 9), 9, WatchEvent.REASON_DEREGISTERED).changed()).isFalse();
    assertThat(ids(cache.served())).containsExactly("a", "b");
    assertThat(cache.revision()).isEqualTo(11);
  }

  @Test
  void eventsBeforeTheFirstList_areIgnored() {
    assertThat(cache.applyEvent(EventType.ADDED, up("a", 3), 3, null).changed()).isFalse();
    assertThat(cache.ready()).isFalse();
  }

  @Test
  void olderList_isIgnoredUnlessForced() {
    cache.applyList(10, List.of(up("a", 5)), false);
    assertThat(cache.applyList(8, List.of(), false).changed()).isFalse();
    assertThat(ids(cache.served())).containsExactly("a");
  }

  @Test
  void noOpUpdate_isDropped() {
    cache.applyList(10, List.of(up("a", 5)), false);
    List<Instance> before = cache.served();
    ServiceCache.Change c = cache.applyEvent(EventType.MODIFIED, up("a", 12), 12, null);
    assertThat(c.changed()).isFalse();
    assertThat(cache.served()).isSameAs(before);
  }

  @Test
  void statusChange_isApplied() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5)), false);
    cache.applyEvent(EventType.MODIFIED, instance("payment", "a", InstanceStatus.DRAINING, null, 11), 11, null);
    assertThat(cache.served().get(0).status()).isEqualTo(InstanceStatus.DRAINING);
  }

  @Test
  void relistToEmpty_isHeld_andCounted() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5)), false);
    ServiceCache.Change c = cache.applyList(20, List.of(), true);
    assertThat(c.changed()).isFalse();
    assertThat(ids(cache.served())).containsExactly("a", "b");
    assertThat(cache.holding()).isTrue();
    assertThat(counters.protectionEpisodes.sum()).isEqualTo(1);
  }

  @Test
  void duringHold_newRegistrationsAreServed_andRecoveryEndsTheHold() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5), up("c", 5), up("d", 5)), false);
    cache.applyList(20, List.of(), true);
    cache.applyEvent(EventType.ADDED, up("e", 21), 21, null);
    assertThat(ids(cache.served())).containsExactly("a", "b", "c", "d", "e");
    assertThat(cache.holding()).isTrue();
    cache.applyEvent(EventType.ADDED, up("a", 22), 22, null);
    cache.applyEvent(EventType.ADDED, up("b", 23), 23, null);
    assertThat(cache.holding()).isFalse();
    assertThat(ids(cache.served())).containsExactly("a", "b", "e");
    assertThat(counters.protectionEpisodes.sum()).isEqualTo(1);
  }

  @Test
  void burstOfExpiries_isHeld() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5), up("c", 5), up("d", 5)), false);
    cache.applyEvent(EventType.DELETED, up("a", 11), 11, WatchEvent.REASON_EXPIRED);
    cache.applyEvent(EventType.DELETED, up("b", 12), 12, WatchEvent.REASON_EXPIRED);
    assertThat(ids(cache.served())).containsExactly("c", "d");
    cache.applyEvent(EventType.DELETED, up("c", 13), 13, WatchEvent.REASON_EXPIRED);
    assertThat(cache.holding()).isTrue();
    assertThat(ids(cache.served())).containsExactly("c", "d");
  }

  @Test
  void expiriesFarApart_areNotABurst() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5), up("c", 5), up("d", 5)), false);
    for (String id : List.of("a", "b", "c")) {
      clock.advance(ServiceCache.BURST_WINDOW.plusSeconds(1));
      cache.applyEvent(EventType.DELETED, up(id, 0), cache.revision() + 1, WatchEvent.REASON_EXPIRED);
    }
    assertThat(cache.holding()).isFalse();
    assertThat(ids(cache.served())).containsExactly("d");
  }

  @Test
  void gracefulDeregistrations_alwaysApply_evenDuringAHold() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5), up("c", 5), up("d", 5)), false);
    for (String id : List.of("a", "b", "c")) {
      cache.applyEvent(EventType.DELETED, up(id, 0), cache.revision() + 1, WatchEvent.REASON_DEREGISTERED);
    }
    assertThat(cache.holding()).isFalse();
    assertThat(ids(cache.served())).containsExactly("d");
    cache.applyEvent(EventType.DELETED, up("d", 0), cache.revision() + 1, WatchEvent.REASON_DEREGISTERED);
    assertThat(cache.served()).isEmpty();
  }

  @Test
  void gracefulDeregistration_removesAHeldInstance() {
    cache.applyList(10, List.of(up("a", 5), up("b", 5)), false);
    cache.applyList(20, List.of(), true);
    cache.applyEvent(EventType.DELETED, up("a", 21), 21, WatchEvent.REASON_DEREGISTERED);
    assertThat(ids(cache.served())).containsExactly("b");
  }

  @Test
  void holdLimit_endsTheHold() {
    cache.applyList(10, List.of(up("a", 5)), false);
    cache.applyList(20, List.of(), true);
    clock.advance(Duration.ofSeconds(119));
    assertThat(cache.tick().changed()).isFalse();
    assertThat(cache.served()).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.tick().changed()).isTrue();
    assertThat(cache.served()).isEmpty();
    assertThat(cache.holding()).isFalse();
  }

  @Test
  void disabledProtection_appliesEmptyLists() {
    ServiceCache off = new ServiceCache("payment", new EmptyPushGuard(0, Duration.ofMinutes(2)), clock, counters);
    off.applyList(10, List.of(up("a", 5)), false);
    off.applyList(20, List.of(), true);
    assertThat(off.served()).isEmpty();
  }

  @Test
  void snapshot_seedsServing_thenAnyListApplies_withProtection() {
    cache.applySnapshot(List.of(up("a", 500), up("b", 500)));
    assertThat(cache.ready()).isTrue();
    assertThat(cache.applyEvent(EventType.ADDED, up("c", 501), 501, null).changed()).isFalse();
    cache.applyList(3, List.of(up("a", 2)), false);
    assertThat(ids(cache.served())).containsExactly("a");
    cache.applyList(4, List.of(), true);
    assertThat(ids(cache.served())).containsExactly("a");
    assertThat(cache.holding()).isTrue();
  }

  @Test
  void instancesOfAnotherService_areNotTaken() {
    cache.applyList(10, List.of(up("a", 5), instance("order", "o", InstanceStatus.UP, null, 5)), false);
    assertThat(ids(cache.served())).containsExactly("a");
  }
}
