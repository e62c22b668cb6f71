package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases over real HTTP: an instance that stops heartbeating is removed within its lease plus two
 * reaper intervals and its watchers see it go; one that keeps heartbeating stays.
 */
class LeaseExpiryIT {
  static final Duration LEASE = Duration.ofSeconds(1);
  static final Duration REAPER = Duration.ofMillis(200);
  /** Room for a loaded machine (two cores shared by several builds) on top of the contract's bound. */
  static final Duration SLACK = Duration.ofSeconds(1);

  @TempDir
  Path dataDir;
  ServerFixture f;
  final String instances = ApiPaths.expand(ApiPaths.INSTANCES, "shop", "order");
  final String instance = ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1");
  final String heartbeat = ApiPaths.expand(ApiPaths.INSTANCE_HEARTBEAT, "shop", "order", "o-1");

  @BeforeEach
  void start() {
    f = ServerFixture.start(ServerFixture.config(dataDir).leaseMin(LEASE).reaperInterval(REAPER).build());
    f.namespace("shop");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void silentInstance_expiresWithinLeasePlusTwoReaperIntervals_andWatchersSeeIt() {
    ServerFixture.Watch watch = f.watch("shop", "kinds=instance");
    long lastRenewal = System.nanoTime(); // the registration is the last renewal: no heartbeat follows
    f.admin().put(instance, Map.of("id", "o-1", "host", "10.0.0.1", "port", 8080, "leaseSeconds", 1)).expect(201);

    Duration bound = LEASE.plus(REAPER.multipliedBy(2));
    await().atMost(bound.plus(SLACK).plusSeconds(2)).pollInterval(Duration.ofMillis(20))
        .until(() -> deleted(watch) != null);
    Duration took = Duration.ofNanos(System.nanoTime() - lastRenewal);

    JsonNode gone = deleted(watch);
    assertThat(gone.path("reason").asText()).isEqualTo("expired");
    assertThat(gone.path("object").path("id").asText()).isEqualTo("o-1");
    assertThat(took).isGreaterThanOrEqualTo(LEASE).isLessThanOrEqualTo(bound.plus(SLACK));
    assertThat(f.admin().get(instances).expect(200).json().path("items")).isEmpty();
    JsonNode problem = f.admin().send("POST", heartbeat, null, null).expect(404).json();
    assertThat(problem.path("type").asText()).endsWith("/lease-not-found");
  }

  @Test
  void heartbeatingInstance_outlivesSeveralLeases() {
    ServerFixture.Watch watch = f.watch("shop", "kinds=instance");
    f.admin().put(instance, Map.of("id", "o-1", "host", "10.0.0.1", "port", 8080, "leaseSeconds", 1)).expect(201);
    long started = System.nanoTime();
    Duration span = LEASE.multipliedBy(4);

    // Renews every 250 ms (a quarter lease) until four lease lengths have passed; each renewal must land.
    await().atMost(span.plus(SLACK).plusSeconds(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
      f.admin().send("POST", heartbeat, null, null).expect(204);
      return System.nanoTime() - started >= span.toNanos();
    });

    assertThat(f.admin().get(instances).expect(200).json().path("items"))
        .extracting(i -> i.path("id").asText()).containsExactly("o-1");
    assertThat(watch.changes()).extracting(e -> e.path("type").asText()).containsExactly("ADDED");
  }

  private static JsonNode deleted(ServerFixture.Watch watch) {
    List<JsonNode> deleted = watch.changes().stream().filter(e -> e.path("type").asText().equals("DELETED")).toList();
    return deleted.isEmpty() ? null : deleted.get(0);
  }
}
