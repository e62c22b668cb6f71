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

/** Tenant and namespace changes reach watch streams; deleting a namespace takes its instances along. */
class ChangesIT {
  @TempDir
  Path dataDir;
  ServerFixture f;

  @BeforeEach
  void start() {
    f = ServerFixture.start(dataDir);
    f.namespace("shop");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void tenantChanges_areStreamedInRevisionOrder() {
    ServerFixture.Watch watch = watch("shop", "tenant");
    String tenants = ApiPaths.expand(ApiPaths.TENANTS, "shop");
    String acme = ApiPaths.expand(ApiPaths.TENANT, "shop", "acme");

    f.admin().post(tenants, Map.of("id", "acme", "tier", "premium")).expect(201);
    f.admin().put(acme, Map.of("id", "acme", "tier", "premium", "status", "suspended")).expect(200);
    f.admin().delete(acme).expect(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> watch.changes().size() >= 3);
    List<JsonNode> events = watch.changes();
    assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED", "DELETED");
    assertThat(events).allSatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("tenant"));
    assertThat(events.get(1).path("object").path("status").asText()).isEqualTo("suspended");
    assertThat(events.get(2).path("reason").asText()).isEqualTo("deleted");
    assertThat(events.get(0).path("revision").asLong()).isLessThan(events.get(1).path("revision").asLong());
    assertThat(events.get(1).path("revision").asLong()).isLessThan(events.get(2).path("revision").asLong());
  }

  @Test
  void namespaceDeletion_dropsInstancesAndEndsItsStreams() {
    String instance = ApiPaths.expand(ApiPaths.INSTANCE, "shop", "order", "o-1");
    f.admin().put(instance, Map.of("id", "o-1", "host", "10.0.0.1", "port", 8080)).expect(201);
    ServerFixture.Watch watch = watch("shop", "instance");

    f.admin().delete(ApiPaths.expand(ApiPaths.NAMESPACE, "shop")).expect(204);

    await().atMost(Duration.ofSeconds(10)).until(watch.ended()::isDone);
    f.admin().get(ApiPaths.expand(ApiPaths.INSTANCES, "shop", "order")).expect(404);
    f.namespace("shop");
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.INSTANCES, "shop", "order")).expect(200).json().path("items")).isEmpty();
    assertThat(f.admin().get(ApiPaths.expand(ApiPaths.SERVICES, "shop")).expect(200).json().path("items")).isEmpty();
  }

  private ServerFixture.Watch watch(String ns, String kinds) {
    return f.watch(ns, "kinds=" + kinds);
  }
}
