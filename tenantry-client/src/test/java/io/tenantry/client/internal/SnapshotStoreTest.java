package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.instance;
import static io.tenantry.client.internal.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Isolation;
import io.tenantry.api.Json;
import io.tenantry.api.TenantStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  private final ObjectMapper mapper = Json.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  @TempDir Path dir;

  private Snapshot sample() {
    return new Snapshot(Snapshot.FORMAT, "shop", 1234,
        Map.of("payment", List.of(instance("payment", "p-1", InstanceStatus.UP, "acme", 7))),
        List.of(tenant("acme", Isolation.SILOED, TenantStatus.ACTIVE)));
  }

  @Test
  void write_thenRead_roundTrips() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, "shop", mapper);
    store.write(sample());
    assertThat(store.read()).contains(sample());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop.json");
    }
  }

  @Test
  void write_replacesThePreviousSnapshot() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, "shop", mapper);
    store.write(sample());
    Snapshot empty = new Snapshot(Snapshot.FORMAT, "shop", 2, Map.of(), List.of());
    store.write(empty);
    assertThat(store.read()).contains(empty);
  }

  @Test
  void write_createsTheDirectory() throws Exception {
    SnapshotStore store = new SnapshotStore(dir.resolve("a/b"), "shop", mapper);
    store.write(sample());
    assertThat(store.read()).isPresent();
  }

  @Test
  void missingFile_readsEmpty() {
    assertThat(new SnapshotStore(dir, "shop", mapper).read()).isEmpty();
  }

  @Test
  void corruptFile_readsEmpty() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, "shop", mapper);
    Files.writeString(store.file(), "{\"format\":1,\"namespace\":\"shop\",\"services\":{\"payment\":[{\"id\":");
    assertThat(store.read()).isEmpty();
    Files.writeString(store.file(), "not json at all");
    assertThat(store.read()).isEmpty();
    Files.write(store.file(), new byte[] {0, 1, 2, (byte) 0xff});
    assertThat(store.read()).isEmpty();
  }

  @Test
  void invalidContent_readsEmpty() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, "shop", mapper);
    Files.writeString(store.file(), "{\"format\":1,\"namespace\":\"shop\",\"savedAtMillis\":1,\"services\":{\"payment\":"
        + "[{\"namespace\":\"shop\",\"service\":\"payment\",\"id\":\"bad id!\",\"status\":\"UP\",\"port\":1,"
        + "\"weight\":1,\"leaseSeconds\":1,\"revision\":1}]},\"tenants\":[]}");
    assertThat(store.read()).isEmpty();
  }

  @Test
  void anotherNamespaceOrFormat_readsEmpty() throws Exception {
    new SnapshotStore(dir, "shop", mapper).write(sample());
    Files.move(dir.resolve("shop.json"), dir.resolve("other.json"));
    assertThat(new SnapshotStore(dir, "other", mapper).read()).isEmpty();
    new SnapshotStore(dir, "shop", mapper).write(new Snapshot(99, "shop", 1, Map.of(), List.of()));
    assertThat(new SnapshotStore(dir, "shop", mapper).read()).isEmpty();
  }
}
