package io.tenantry.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.ServiceSummary;
import io.tenantry.api.ValidationException;
import io.tenantry.server.watch.CountingRevisionStore;
import io.tenantry.server.watch.InMemoryChangeFeed;
import io.tenantry.server.watch.RecordingSink;
import io.tenantry.server.watch.WatchFilter;
import io.tenantry.server.watch.WatchSettings;
import io.tenantry.server.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private static final Duration TICK = Duration.ofSeconds(1);

  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final InMemoryChangeFeed feed =
      new InMemoryChangeFeed(new CountingRevisionStore(), WatchSettings.defaults(), meters);
  private final RegistrySettings settings = new RegistrySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
      Duration.ofHours(1), TICK, 0.5, 4, Duration.ofSeconds(90));
  private final Registry registry = new Registry(settings, feed, clock, meters);

  @AfterEach
  void close() {
    registry.close();
    feed.close();
  }

  private static InstanceSpec spec(String id, Integer leaseSeconds) {
    return new InstanceSpec(id, "10.0.0.1", 8080, "v1", "z1", 100, InstanceStatus.UP, Map.of("a", "b"), null,
        leaseSeconds);
  }

  private void tick() {
    clock.advance(TICK);
    registry.reap();
  }

  private RecordingSink watch(String service) {
    RecordingSink sink = new RecordingSink();
    feed.watch("shop", WatchFilter.parse(null, service), null, sink);
    return sink;
  }

  @Test
  void lapsedLease_isExpiredWithinTwoReaperIntervals_andWatchersAreTold() {
    RecordingSink sink = watch("order");
    registry.register("shop", "order", spec("o-1", 5));
    for (int i = 0; i < 4; i++) {
      tick();
    }
    assertThat(registry.list("shop", "order").items()).hasSize(1);
    tick(); // the lease lapses at 5 s
    tick();
    assertThat(registry.list("shop", "order").items()).isEmpty();
    assertThat(sink.types()).containsExactly("BOOKMARK", "ADDED", "DELETED");
    assertThat(sink.frames().get(2)).contains("\"reason\":\"expired\"").contains("\"id\":\"o-1\"");
    assertThat(meters.get("tenantry.registry.expirations").tag("namespace", "shop").counter().count()).isEqualTo(1);
    assertThat(meters.get("tenantry.registry.instances").tag("namespace", "shop").gauge().value()).isZero();
  }

  @Test
  void heartbeats_keepTheLease() {
    registry.register("shop", "order", spec("o-1", 3));
    for (int i = 0; i < 30; i++) {
      tick();
      if (i % 2 == 0) {
        assertThat(registry.heartbeat("shop", "order", "o-1")).isTrue();
      }
    }
    assertThat(registry.list("shop", "order").items()).hasSize(1);
  }

  @Test
  void heartbeat_ofUnknownInstance_isFalse_andBatchReportsMissing() {
    registry.register("shop", "order", spec("o-1", null));
    assertThat(registry.heartbeat("shop", "order", "nope")).isFalse();
    assertThat(registry.heartbeat("other", "order", "o-1")).isFalse();
    assertThat(registry.heartbeat("shop", List.of(new InstanceRef("order", "o-1"), new InstanceRef("order", "o-2"),
        new InstanceRef("user", "o-1")))).containsExactly(new InstanceRef("order", "o-2"), new InstanceRef("user", "o-1"));
  }

  @Test
  void register_isIdempotent_andADifferentSpecIsModified() {
    RecordingSink sink = watch(null);
    Registration first = registry.register("shop", "order", spec("o-1", null));
    assertThat(first.created()).isTrue();
    long rev = feed.currentRevision();

    Registration again = registry.register("shop", "order", spec("o-1", null));
    assertThat(again.created()).isFalse();
    assertThat(again.instance()).isEqualTo(first.instance());
    assertThat(feed.currentRevision()).isEqualTo(rev);

    InstanceSpec changed = new InstanceSpec("o-1", "10.0.0.2", 8080, "v1", "z1", 100, null, null, null, null);
    Registration modified = registry.register("shop", "order", changed);
    assertThat(modified.created()).isFalse();
    assertThat(modified.instance().revision()).isGreaterThan(rev);
    assertThat(modified.instance().host()).isEqualTo("10.0.0.2");
    assertThat(sink.types()).containsExactly("BOOKMARK", "ADDED", "MODIFIED");
    assertThat(registry.list("shop", "order").items()).containsExactly(modified.instance());
  }

  @Test
  void lease_isClampedToBounds() {
    assertThat(registry.register("shop", "order", spec("o-1", null)).instance().leaseSeconds()).isEqualTo(30);
    RegistrySettings narrow = new RegistrySettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(20), TICK, 0.5, 4, Duration.ofSeconds(30));
    assertThat(narrow.leaseFor(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(narrow.leaseFor(3600)).isEqualTo(Duration.ofSeconds(20));
    assertThat(narrow.leaseFor(12)).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void everyChange_hasAStrictlyGreaterRevision() {
    long last = feed.currentRevision();
    List<Long> revisions = new java.util.ArrayList<>();
    revisions.add(registry.register("shop", "order", spec("o-1", null)).instance().revision());
    revisions.add(registry.register("other", "order", spec("o-1", null)).instance().revision());
    revisions.add(registry.setStatus("shop", "order", "o-1", InstanceStatus.DRAINING).orElseThrow().revision());
    revisions.add(registry.deregister("shop", "order", "o-1").orElseThrow().revision());
    for (long r : revisions) {
      assertThat(r).isGreaterThan(last);
      last = r;
    }
  }

  @Test
  void setStatus_andDeregister() {
    RecordingSink sink = watch("order");
    registry.register("shop", "order", spec("o-1", null));
    assertThat(registry.setStatus("shop", "order", "o-1", InstanceStatus.DRAINING)).get()
        .extracting(Instance::status).isEqualTo(InstanceStatus.DRAINING);
    long rev = feed.currentRevision();
    assertThat(registry.setStatus("shop", "order", "o-1", InstanceStatus.DRAINING)).isPresent();
    assertThat(feed.currentRevision()).isEqualTo(rev); // no change, no event
    assertThat(registry.setStatus("shop", "order", "nope", InstanceStatus.DOWN)).isEmpty();
    assertThat(registry.services("shop").items()).containsExactly(new ServiceSummary("order", 1, 0));
    assertThat(registry.deregister("shop", "order", "o-1")).isPresent();
    assertThat(registry.deregister("shop", "order", "o-1")).isEmpty();
    assertThat(registry.heartbeat("shop", "order", "o-1")).isFalse();
    assertThat(sink.types()).containsExactly("BOOKMARK", "ADDED", "MODIFIED", "DELETED");
    assertThat(sink.frames().get(3)).contains("\"reason\":\"deregistered\"");
    assertThat(registry.services("shop").items()).isEmpty();
  }

  @Test
  void list_isSortedById_withARevisionToWatchFrom() {
    for (String id : List.of("c", "a", "b")) {
      registry.register("shop", "order", spec(id, null));
    }
    ListResult<Instance> list = registry.list("shop", "order");
    assertThat(list.items()).extracting(Instance::id).containsExactly("a", "b", "c");
    assertThat(list.revision()).isEqualTo(feed.currentRevision());
    assertThat(registry.list("shop", "nothing").items()).isEmpty();
  }

  @Test
  void selfPreservation_holdsBackMassExpiry_thenReleasesWhenTheShareFalls() {
    for (int i = 0; i < 10; i++) {
      registry.register("shop", "order", spec("o-" + i, 5));
    }
    for (int i = 0; i < 8; i++) {
      tick();
      registry.heartbeat("shop", "order", "o-0");
      registry.heartbeat("shop", "order", "o-1");
    }
    // 8 of 10 lapsed: more than half, so the reaper suspects itself and holds them
    assertThat(registry.size("shop")).isEqualTo(10);
    assertThat(preserving()).isEqualTo(1);

    // six come back: 2 of 10 lapsed is under the threshold, so those two expire at once
    for (int i = 2; i < 8; i++) {
      registry.heartbeat("shop", "order", "o-" + i);
    }
    registry.heartbeat("shop", "order", "o-0");
    registry.heartbeat("shop", "order", "o-1");
    tick();
    assertThat(registry.list("shop", "order").items()).extracting(Instance::id)
        .containsExactly("o-0", "o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7");
    assertThat(preserving()).isZero();
  }

  @Test
  void selfPreservation_expiresAnywayAfterMaxHold() {
    RecordingSink sink = watch("order");
    for (int i = 0; i < 10; i++) {
      registry.register("shop", "order", spec("o-" + i, 5));
    }
    for (int i = 0; i < 6; i++) {
      tick();
    }
    assertThat(registry.size("shop")).isEqualTo(10);
    assertThat(preserving()).isEqualTo(1);
    // the hold began when the leases lapsed at 5 s; it may last 90 s
    for (int i = 0; i < 88; i++) {
      tick();
    }
    assertThat(registry.size("shop")).isEqualTo(10);
    tick();
    tick();
    assertThat(registry.size("shop")).isZero();
    assertThat(preserving()).isZero();
    assertThat(sink.types().stream().filter("DELETED"::equals)).hasSize(10);
  }

  @Test
  void smallNamespace_isNeverHeldBack() {
    for (int i = 0; i < 3; i++) {
      registry.register("shop", "order", spec("o-" + i, 2));
    }
    for (int i = 0; i < 4; i++) {
      tick();
    }
    assertThat(registry.size("shop")).isZero();
    assertThat(preserving()).isZero();
  }

  @Test
  void reaperPause_extendsLeasesInsteadOfExpiringEveryone() {
    registry.register("shop", "order", spec("o-1", 5));
    tick();
    clock.advance(Duration.ofMinutes(10)); // the process was suspended
    registry.reap();
    assertThat(registry.size("shop")).isEqualTo(1);
    assertThat(registry.heartbeat("shop", "order", "o-1")).isTrue();
    for (int i = 0; i < 4; i++) {
      tick();
    }
    assertThat(registry.size("shop")).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      tick();
    }
    assertThat(registry.size("shop")).isZero();
  }

  @Test
  void awaitChange_completesOnChange_orAtOnceIfAlreadyChanged() throws Exception {
    long before = registry.list("shop", "order").revision();
    CompletableFuture<ListResult<Instance>> poll = registry.awaitChange("shop", "order", before, Duration.ofMinutes(1));
    assertThat(poll).isNotDone();
    registry.register("shop", "order", spec("o-1", null));
    ListResult<Instance> result = poll.get(5, TimeUnit.SECONDS);
    assertThat(result.items()).extracting(Instance::id).containsExactly("o-1");

    assertThat(registry.awaitChange("shop", "order", before, Duration.ofMinutes(1)).get(5, TimeUnit.SECONDS).items())
        .hasSize(1);
    CompletableFuture<ListResult<Instance>> other = registry.awaitChange("shop", "payment", result.revision(),
        Duration.ofMinutes(1));
    registry.register("shop", "order", spec("o-2", null));
    assertThat(other).isNotDone();
  }

  @Test
  void awaitChange_timesOutWithTheCurrentList() throws Exception {
    registry.register("shop", "order", spec("o-1", null));
    long rev = registry.list("shop", "order").revision();
    assertThat(registry.awaitChange("shop", "order", rev, Duration.ofMillis(50)).get(5, TimeUnit.SECONDS).items())
        .hasSize(1);
  }

  @Test
  void dropNamespace_forgetsInstances() {
    registry.register("shop", "order", spec("o-1", null));
    registry.dropNamespace("shop");
    assertThat(registry.list("shop", "order").items()).isEmpty();
    assertThat(registry.heartbeat("shop", "order", "o-1")).isFalse();
    assertThat(meters.find("tenantry.registry.instances").tag("namespace", "shop").gauge()).isNull();
  }

  @Test
  void register_rejectsBadNames() {
    assertThatThrownBy(() -> registry.register("shop", "Bad_Service", spec("o-1", null)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("service");
  }

  @Test
  void concurrentChanges_reachAWatcherInRevisionOrder_andReplayToTheList() throws Exception {
    RecordingSink sink = watch(null);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Callable<Void>> tasks = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(() -> {
          for (int i = 0; i < 300; i++) {
            String id = "o-" + (i % 40);
            switch ((i + thread) % 4) {
              case 0 -> registry.register("shop", "order", spec(id, null));
              case 1 -> registry.setStatus("shop", "order", id, InstanceStatus.DRAINING);
              case 2 -> registry.deregister("shop", "order", id);
              default -> registry.heartbeat("shop", "order", id);
            }
          }
          return null;
        });
      }
      for (var done : pool.invokeAll(tasks)) {
        done.get();
      }
    } finally {
      pool.shutdown();
    }
    List<Long> ids = sink.ids();
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
    }
    com.fasterxml.jackson.databind.ObjectMapper mapper = io.tenantry.api.Json.newMapper();
    java.util.Map<String, Instance> replayed = new java.util.TreeMap<>();
    for (String frame : sink.frames()) {
      io.tenantry.api.WatchEvent e = mapper.readValue(frame.substring(frame.indexOf("data: ") + 6).trim(),
          io.tenantry.api.WatchEvent.class);
      if (e.object() == null) {
        continue; // bookmark
      }
      Instance inst = mapper.treeToValue(e.object(), Instance.class);
      if (e.type() == io.tenantry.api.EventType.DELETED) {
        replayed.remove(inst.id());
      } else {
        replayed.put(inst.id(), inst);
      }
    }
    assertThat(List.copyOf(replayed.values())).isEqualTo(registry.list("shop", "order").items());
  }

  private double preserving() {
    return meters.get("tenantry.registry.self.preservation").tag("namespace", "shop").gauge().value();
  }
}
